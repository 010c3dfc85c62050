/**
 * The taints the node lifecycle controller manages and how it writes them: the
 * NoExecute taints of not-ready and unreachable nodes, the NoSchedule taints that
 * mirror node conditions (TaintNodesByCondition) and spec.unschedulable, and a
 * swap that adds and removes taints on the current Node, retried on conflicts.
 */
import type { Node, Taint } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { isStatusReason } from '../../api/status.js';
import type { RestClient, ResourceTarget } from '../../client/index.js';

/** A Node as the client reads it. */
export type NodeObject = KubeObject & Node;

/** The nodes resource. */
export const NODES: ResourceTarget = { group: '', version: 'v1', resource: 'nodes' };

export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';

/** The NoExecute taint of a node whose Ready condition is False. */
export const NOT_READY_NO_EXECUTE: Taint = { key: TAINT_NOT_READY, effect: 'NoExecute' };
/** The NoExecute taint of a node whose Ready condition is Unknown. */
export const UNREACHABLE_NO_EXECUTE: Taint = { key: TAINT_UNREACHABLE, effect: 'NoExecute' };

/** Condition type → status → the NoSchedule taint key it brings (upstream's nodeConditionToTaintKeyStatusMap). */
const CONDITION_TAINTS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  Ready: { False: TAINT_NOT_READY, Unknown: TAINT_UNREACHABLE },
  MemoryPressure: { True: 'node.kubernetes.io/memory-pressure' },
  DiskPressure: { True: 'node.kubernetes.io/disk-pressure' },
  NetworkUnavailable: { True: 'node.kubernetes.io/network-unavailable' },
  PIDPressure: { True: 'node.kubernetes.io/pid-pressure' },
};

const CONDITION_TAINT_KEYS = new Set(Object.values(CONDITION_TAINTS).flatMap((byStatus) => Object.values(byStatus)));

/** Same key and effect (what makes two taints the same taint). */
export function sameTaint(a: Taint, b: Taint): boolean {
  return a.key === b.key && a.effect === b.effect;
}

/** True when `taints` hold a taint with `taint`'s key and effect. */
export function hasTaint(taints: readonly Taint[] | undefined, taint: Taint): boolean {
  return (taints ?? []).some((t) => sameTaint(t, taint));
}

/** The NoSchedule taints `node`'s conditions and unschedulable flag call for. */
export function wantedNoScheduleTaints(node: Node): Taint[] {
  const taints: Taint[] = [];
  for (const condition of node.status?.conditions ?? []) {
    const key = CONDITION_TAINTS[condition.type]?.[condition.status];
    if (key !== undefined) taints.push({ key, effect: 'NoSchedule' });
  }
  if (node.spec?.unschedulable === true) taints.push({ key: TAINT_UNSCHEDULABLE, effect: 'NoSchedule' });
  return taints;
}

/** The NoSchedule taints of `node` this controller manages (condition taints and unschedulable). */
export function managedNoScheduleTaints(node: Node): Taint[] {
  return (node.spec?.taints ?? []).filter((t) => t.effect === 'NoSchedule' && (t.key === TAINT_UNSCHEDULABLE || CONDITION_TAINT_KEYS.has(t.key)));
}

/** The taints of `node` after adding `add` (stamped `timeAdded`) and removing `remove`; undefined when nothing changes. */
export function swappedTaints(node: Node, add: readonly Taint[], remove: readonly Taint[], timeAdded: string): Taint[] | undefined {
  const current = node.spec?.taints ?? [];
  const kept = current.filter((t) => !remove.some((r) => sameTaint(r, t)));
  const added = add.filter((a) => !hasTaint(kept, a)).map((a) => ({ ...a, timeAdded }));
  if (added.length === 0 && kept.length === current.length) return undefined;
  return [...kept, ...added];
}

const SWAP_ATTEMPTS = 5;

/**
 * Adds `add` to and removes `remove` from the Node named like `node`, starting from
 * `node` and re-reading it after a conflict; resolves false when the Node is gone.
 * Throws other API errors, and a conflict after several attempts.
 */
export async function swapNodeTaints(client: RestClient, node: NodeObject, add: readonly Taint[], remove: readonly Taint[], timeAdded: string, signal?: AbortSignal): Promise<boolean> {
  const name = node.metadata.name ?? '';
  let current = node;
  for (let attempt = 1; ; attempt++) {
    const taints = swappedTaints(current, add, remove, timeAdded);
    if (taints === undefined) return true;
    try {
      await client.update<NodeObject>(NODES, { ...current, spec: { ...current.spec, taints } }, { signal });
      return true;
    } catch (err) {
      if (isStatusReason(err, 'NotFound')) return false;
      if (!isStatusReason(err, 'Conflict') || attempt >= SWAP_ATTEMPTS) throw err;
    }
    try {
      current = await client.get<NodeObject>(NODES, name, { signal });
    } catch (err) {
      if (isStatusReason(err, 'NotFound')) return false;
      throw err;
    }
  }
}
