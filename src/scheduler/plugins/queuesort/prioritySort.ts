/**
 * PrioritySort (QueueSort): pods with a higher spec.priority first; equal priorities
 * in the order they entered the queue.
 */
import type { QueuedPod, QueueSortPlugin } from '../../framework/interface.js';

/** The plugin's name. */
export const PRIORITY_SORT = 'PrioritySort';

/** Builds the PrioritySort plugin. */
export function newPrioritySort(): QueueSortPlugin {
  return {
    name: PRIORITY_SORT,
    less(a: QueuedPod, b: QueuedPod): boolean {
      const pa = a.pod.spec?.priority ?? 0;
      const pb = b.pod.spec?.priority ?? 0;
      return pa > pb || (pa === pb && a.timestamp < b.timestamp);
    },
  };
}
