/**
 * Whether a Node update may matter to scheduling (upstream's node event filtering):
 * a change of allocatable, labels, taints, unschedulable, reported images or
 * condition statuses does; a heartbeat alone does not.
 */
import type { Node } from 'kubernetes-types/core/v1.js';

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** See the module comment. */
export function nodeUpdateMatters(oldNode: Node, newNode: Node): boolean {
  if (!same(oldNode.status?.allocatable, newNode.status?.allocatable)) return true;
  if (!same(oldNode.metadata?.labels, newNode.metadata?.labels)) return true;
  if (!same(oldNode.spec?.taints, newNode.spec?.taints)) return true;
  if ((oldNode.spec?.unschedulable ?? false) !== (newNode.spec?.unschedulable ?? false)) return true;
  if ((oldNode.status?.images?.length ?? 0) !== (newNode.status?.images?.length ?? 0)) return true;
  const conditions = (n: Node) => (n.status?.conditions ?? []).map((c) => `${c.type}=${c.status}`);
  return !same(conditions(oldNode), conditions(newNode));
}
