/**
 * Test support: what an informer told its handlers, as short lines, and the state of
 * its cache next to the state of the server, for tests of the client library.
 */
import type { KubeObject } from '../../src/api/object.js';
import { deletedObject, isTombstone, objectKey } from '../../src/client/index.js';
import type { DeletedFinalStateUnknown, ResourceTarget, RestClient, SharedInformer } from '../../src/client/index.js';

/** Handler calls as `add ns/name`, `update ns/name`, `delete ns/name`, or `tombstone ns/name` for an inferred delete. */
export interface InformerLog {
  /** Every call so far; tests may empty it. */
  lines: string[];
  /** Of the adds: which were announced as part of the initial list. */
  initialAdds: string[];
  /** The cache as key → resourceVersion. */
  cacheState(): Map<string, string>;
}

/**
 * Registers a handler on `informer` that logs its calls. Updates whose resourceVersion
 * did not change (relists, resyncs) are not logged.
 */
export function recordHandlerCalls<T extends KubeObject>(informer: SharedInformer<T>): InformerLog {
  const log: InformerLog = {
    lines: [],
    initialAdds: [],
    cacheState: () => new Map(informer.lister.list().map((o) => [objectKey(o), o.metadata.resourceVersion ?? ''])),
  };
  informer.addEventHandler({
    onAdd: (obj, isInInitialList) => {
      log.lines.push(`add ${objectKey(obj)}`);
      if (isInInitialList) log.initialAdds.push(objectKey(obj));
    },
    onUpdate: (oldObj, newObj) => {
      if (oldObj.metadata.resourceVersion !== newObj.metadata.resourceVersion) log.lines.push(`update ${objectKey(newObj)}`);
    },
    onDelete: (obj: T | DeletedFinalStateUnknown<T>) => {
      log.lines.push(`${isTombstone(obj) ? 'tombstone' : 'delete'} ${objectKey(deletedObject(obj))}`);
    },
  });
  return log;
}

/** What the server holds under `target`, as key → resourceVersion, to compare with a cache. */
export async function serverState(client: RestClient, target: ResourceTarget, labelSelector?: string): Promise<Map<string, string>> {
  const list = await client.list(target, labelSelector === undefined ? {} : { labelSelector });
  return new Map(list.items.map((o) => [objectKey(o), o.metadata.resourceVersion ?? '']));
}
