/**
 * One deletion pass over everything in a terminating namespace: discover every
 * namespaced resource that can be deleted, empty each, and record the outcome in the
 * namespace's deletion conditions. Problems with some resources do not stop the pass
 * over the others.
 */
import type { Namespace } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { deepCopy } from '../../api/object.js';
import { namespacedOnly, parseGroupVersion } from '../../client/index.js';
import type { DiscoveredResourceList, RestClient, ServerResources } from '../../client/index.js';
import { applyDeletionConditions } from './conditions.js';
import type { DeletionFindings } from './conditions.js';
import { emptyResource } from './resourceContent.js';
import type { ContentResource } from './resourceContent.js';

/** A namespace as the controller reads and writes it. */
export type NamespaceObject = KubeObject & Namespace;

/** Finds the server's resources (preferred versions); see `serverPreferredResources`. */
export type DiscoverResources = (signal?: AbortSignal) => Promise<ServerResources>;

/** What a deletion pass needs. */
export interface ContentDeletion {
  client: RestClient;
  discover: DiscoverResources;
  nowMs: number;
  signal?: AbortSignal;
  /** Told about problems that do not fail the pass (a status update that did not go through). */
  log: (message: string) => void;
}

/** The result of a deletion pass. */
export interface ContentDeletionResult {
  /** Seconds remaining content may still need (0: none remains, or no reason to wait). */
  estimateSeconds: number;
  /** What went wrong; empty when the pass succeeded. */
  errors: Error[];
  /** The namespace as last read or written (with the new conditions if they could be written). */
  namespace: NamespaceObject;
}

const NAMESPACES = { group: '', version: 'v1', resource: 'namespaces' } as const;

/** The deletable namespaced resources discovery found, and the discovery problems. */
async function deletableResources(deletion: ContentDeletion, findings: DeletionFindings, errors: Error[]): Promise<ContentResource[]> {
  let lists: DiscoveredResourceList[] = [];
  let failure: Error | undefined;
  try {
    ({ lists, failure } = await deletion.discover(deletion.signal));
  } catch (err) {
    failure = err instanceof Error ? err : new Error(String(err));
  }
  if (failure !== undefined) {
    findings.discoveryError = failure;
    errors.push(failure);
  }
  const resources: ContentResource[] = [];
  const parseErrors: Error[] = [];
  for (const list of namespacedOnly(lists)) {
    const deletable = list.resources.filter((r) => r.verbs.includes('delete'));
    if (deletable.length === 0) continue;
    try {
      const { group, version } = parseGroupVersion(list.groupVersion);
      for (const r of deletable) resources.push({ group, version, resource: r.name, verbs: r.verbs });
    } catch (err) {
      parseErrors.push(err as Error);
    }
  }
  if (parseErrors.length > 0) {
    findings.groupVersionErrors = parseErrors;
    errors.push(...parseErrors);
  }
  return resources;
}

/**
 * Deletes all content of `namespace` (a terminating namespace as just read), updates
 * its deletion conditions through the status subresource when they changed, and
 * reports how long remaining content may take and what failed.
 */
export async function deleteNamespaceContent(namespace: NamespaceObject, deletion: ContentDeletion): Promise<ContentDeletionResult> {
  const name = namespace.metadata.name ?? '';
  const findings: DeletionFindings = {};
  const errors: Error[] = [];
  const resources = await deletableResources(deletion, findings, errors);
  const deletedAtMs = Date.parse(namespace.metadata.deletionTimestamp ?? '');
  const remainingByResource = new Map<string, number>();
  const remainingByFinalizer = new Map<string, number>();
  const contentErrors: Error[] = [];
  let estimateSeconds = 0;
  for (const resource of resources) {
    const outcome = await emptyResource(resource, { client: deletion.client, namespace: name, deletedAtMs, nowMs: deletion.nowMs, signal: deletion.signal });
    if (outcome.error !== undefined) contentErrors.push(outcome.error);
    estimateSeconds = Math.max(estimateSeconds, outcome.estimateSeconds);
    if (outcome.remaining > 0) {
      remainingByResource.set(`${resource.resource}.${resource.group}`, outcome.remaining);
      for (const [finalizer, n] of outcome.finalizers) remainingByFinalizer.set(finalizer, (remainingByFinalizer.get(finalizer) ?? 0) + n);
    }
  }
  Object.assign(findings, { contentErrors, remainingByResource, remainingByFinalizer });
  errors.push(...contentErrors);
  return { estimateSeconds, errors, namespace: await recordConditions(namespace, findings, deletion) };
}

/** Writes the deletion conditions when they changed; a failed write is logged, not fatal (the next pass writes them). */
async function recordConditions(namespace: NamespaceObject, findings: DeletionFindings, deletion: ContentDeletion): Promise<NamespaceObject> {
  const updated = deepCopy(namespace);
  updated.status ??= {};
  if (!applyDeletionConditions(updated.status, findings, deletion.nowMs)) return namespace;
  try {
    return await deletion.client.update(NAMESPACES, updated, { subresource: 'status', signal: deletion.signal });
  } catch (err) {
    deletion.log(`couldn't update status condition for namespace "${namespace.metadata.name ?? ''}": ${(err as Error).message}`);
    return namespace;
  }
}
