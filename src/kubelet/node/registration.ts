/**
 * Registering the kubelet's Node with the API server, as upstream's
 * tryRegisterWithAPIServer: create it; when it already exists, take it over and
 * reconcile what the kubelet owns — its default labels, the attach/detach annotation
 * and the huge page entries of capacity — leaving everything else as found.
 */
import { isStatusReason } from '../../api/status.js';
import type { ResourceTarget, RestClient } from '../../client/index.js';
import { CONTROLLER_MANAGED_ATTACH_DETACH, KUBELET_OWNED_LABELS, type NodeObject } from './nodeObject.js';

/** The nodes resource. */
export const NODES: ResourceTarget = { group: '', version: 'v1', resource: 'nodes' };

const FIELD_MANAGER = 'kubelet';

/** Label and annotation changes that make `existing` carry what `desired` owns (null removes). */
function metadataChanges(desired: NodeObject, existing: NodeObject): { labels: Record<string, string | null>; annotations: Record<string, string | null> } {
  const labels: Record<string, string | null> = {};
  const want = desired.metadata.labels ?? {};
  const have = existing.metadata.labels ?? {};
  for (const label of KUBELET_OWNED_LABELS) {
    const value = want[label];
    if (value !== undefined && have[label] !== value) labels[label] = value;
  }
  const annotations: Record<string, string | null> = {};
  const wanted = desired.metadata.annotations?.[CONTROLLER_MANAGED_ATTACH_DETACH];
  const present = existing.metadata.annotations?.[CONTROLLER_MANAGED_ATTACH_DETACH];
  if (wanted !== present) annotations[CONTROLLER_MANAGED_ATTACH_DETACH] = wanted ?? null;
  return { labels, annotations };
}

/** Huge page entries of `existing` to set or drop so they match `desired`'s (null drops). */
function hugePageChanges(desired: Record<string, string>, existing: Record<string, string>): Record<string, string | null> {
  const changes: Record<string, string | null> = {};
  for (const [name, value] of Object.entries(desired)) {
    if (name.startsWith('hugepages-') && existing[name] !== value) changes[name] = value;
  }
  for (const name of Object.keys(existing)) {
    if (name.startsWith('hugepages-') && desired[name] === undefined) changes[name] = null;
  }
  return changes;
}

/**
 * Creates `node`, or reconciles an existing Node of that name; resolves to the Node
 * as stored. Throws the API error of any failure other than AlreadyExists (callers
 * retry with backoff, as upstream does).
 */
export async function registerNode(client: RestClient, node: NodeObject, signal?: AbortSignal): Promise<NodeObject> {
  try {
    return await client.create<NodeObject>(NODES, node, { signal, fieldManager: FIELD_MANAGER });
  } catch (err) {
    if (!isStatusReason(err, 'AlreadyExists')) throw err;
  }
  const name = node.metadata.name ?? '';
  let existing = await client.get<NodeObject>(NODES, name, { signal });
  const meta = metadataChanges(node, existing);
  if (Object.keys(meta.labels).length > 0 || Object.keys(meta.annotations).length > 0) {
    existing = await client.patch<NodeObject>(NODES, name, 'merge', { metadata: meta }, { signal, fieldManager: FIELD_MANAGER });
  }
  const capacity = hugePageChanges(node.status?.capacity ?? {}, existing.status?.capacity ?? {});
  const allocatable = hugePageChanges(node.status?.allocatable ?? {}, existing.status?.allocatable ?? {});
  if (Object.keys(capacity).length > 0 || Object.keys(allocatable).length > 0) {
    existing = await client.patch<NodeObject>(NODES, name, 'strategic', { status: { capacity, allocatable } }, {
      signal,
      subresource: 'status',
      fieldManager: FIELD_MANAGER,
    });
  }
  return existing;
}
