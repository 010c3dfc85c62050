/**
 * Converges one namespace toward deletion, as upstream's namespaced-resources
 * deleter: a namespace without a deletionTimestamp, already gone, or already
 * finalized is left alone; otherwise it is marked Terminating, emptied, and once
 * nothing remains its `kubernetes` finalizer is removed through the finalize
 * subresource (the API server then removes it). Safe to run any number of times.
 */
import { isStatusReason } from '../../api/status.js';
import type { Clock, RestClient } from '../../client/index.js';
import { aggregateMessage } from './conditions.js';
import { deleteNamespaceContent } from './namespaceContent.js';
import type { DiscoverResources, NamespaceObject } from './namespaceContent.js';

/** The finalizer the namespace controller owns. */
export const KUBERNETES_FINALIZER = 'kubernetes';

/** Content remains that is expected to go away by itself (graceful deletion, finalizers): try again later. */
export class ResourcesRemainingError extends Error {
  readonly estimateSeconds: number;

  constructor(estimateSeconds: number) {
    super(`some content remains in the namespace, estimate ${estimateSeconds} seconds before it is removed`);
    this.name = 'ResourcesRemainingError';
    this.estimateSeconds = estimateSeconds;
  }
}

/** What the deleter works with. */
export interface NamespaceDeleterDeps {
  client: RestClient;
  discover: DiscoverResources;
  clock: Clock;
  log: (message: string) => void;
}

const NAMESPACES = { group: '', version: 'v1', resource: 'namespaces' } as const;
/** How many times a namespace write is retried after a conflict before the pass fails. */
const CONFLICT_RETRIES = 5;

/**
 * One deletion pass for the namespace `name`. Resolves when there is nothing (more)
 * to do; throws `ResourcesRemainingError` when content is still going away, any
 * other error when something failed.
 */
export async function deleteNamespace(name: string, deps: NamespaceDeleterDeps, signal?: AbortSignal): Promise<void> {
  let namespace: NamespaceObject;
  try {
    namespace = await deps.client.get<NamespaceObject>(NAMESPACES, name, { signal });
    if (namespace.metadata.deletionTimestamp === undefined) return;
    namespace = await retryOnConflict(namespace, deps, signal, markTerminating);
  } catch (err) {
    if (isStatusReason(err, 'NotFound')) return;
    throw err;
  }
  if ((namespace.spec?.finalizers ?? []).length === 0) return;

  const result = await deleteNamespaceContent(namespace, { client: deps.client, discover: deps.discover, nowMs: deps.clock.now(), signal, log: deps.log });
  if (result.errors.length > 0) throw new Error(aggregateMessage(result.errors));
  if (result.estimateSeconds > 0) throw new ResourcesRemainingError(result.estimateSeconds);

  try {
    await retryOnConflict(result.namespace, deps, signal, removeOwnFinalizer);
  } catch (err) {
    // Another deleter sharing the finalizer may have finished first.
    if (!isStatusReason(err, 'NotFound')) throw err;
  }
}

type NamespaceWrite = (namespace: NamespaceObject, client: RestClient, signal: AbortSignal | undefined) => Promise<NamespaceObject>;

/** Sets `status.phase: Terminating` when the API server has not already. */
const markTerminating: NamespaceWrite = async (namespace, client, signal) => {
  if (namespace.status?.phase === 'Terminating') return namespace;
  const updated: NamespaceObject = { ...namespace, status: { ...namespace.status, phase: 'Terminating' } };
  return client.update(NAMESPACES, updated, { subresource: 'status', signal });
};

/** Removes `kubernetes` from `spec.finalizers` (the rest kept, sorted and unique) via namespaces/finalize. */
const removeOwnFinalizer: NamespaceWrite = async (namespace, client, signal) => {
  const finalizers = [...new Set(namespace.spec?.finalizers ?? [])].filter((f) => f !== KUBERNETES_FINALIZER).sort();
  const body: NamespaceObject = { apiVersion: 'v1', kind: 'Namespace', metadata: namespace.metadata, spec: { ...namespace.spec, finalizers } };
  return client.update(NAMESPACES, body, { subresource: 'finalize', signal });
};

/** Applies `write`, re-reading the namespace after each conflict; fails if the namespace was replaced meanwhile. */
async function retryOnConflict(namespace: NamespaceObject, deps: NamespaceDeleterDeps, signal: AbortSignal | undefined, write: NamespaceWrite): Promise<NamespaceObject> {
  let latest = namespace;
  for (let attempt = 0; ; attempt++) {
    try {
      return await write(latest, deps.client, signal);
    } catch (err) {
      if (!isStatusReason(err, 'Conflict') || attempt >= CONFLICT_RETRIES) throw err;
    }
    const previousUid = latest.metadata.uid;
    latest = await deps.client.get<NamespaceObject>(NAMESPACES, latest.metadata.name ?? '', { signal });
    if (latest.metadata.uid !== previousUid) throw new Error('namespace uid has changed across retries');
  }
}
