/**
 * The outcome of one plugin at one extension point (upstream framework.Status): a
 * code, the reasons a user reads in FailedScheduling, and the plugin that decided.
 */

/**
 * - Success: go on.
 * - Error: something broke; the pod is retried with backoff.
 * - Unschedulable: this node does not fit now, but preemption might help.
 * - UnschedulableAndUnresolvable: this node does not fit, and preempting pods on it cannot change that.
 * - Skip: the plugin has nothing to do for this pod (its later extension points are not called).
 * - Wait: a permit plugin holds the pod.
 */
export type StatusCode = 'Success' | 'Error' | 'Unschedulable' | 'UnschedulableAndUnresolvable' | 'Skip' | 'Wait';

/** What a plugin decided, and why. */
export interface Status {
  readonly code: StatusCode;
  /** Reasons in upstream wording ("Insufficient cpu", "node(s) had untolerated taint {…}"). */
  readonly reasons: readonly string[];
  /** The plugin that returned this status, filled in by the framework. */
  readonly plugin?: string;
}

const SUCCESS: Status = Object.freeze({ code: 'Success', reasons: [] });
const SKIP: Status = Object.freeze({ code: 'Skip', reasons: [] });

/** The shared Success status. */
export function success(): Status {
  return SUCCESS;
}

/** The shared Skip status. */
export function skip(): Status {
  return SKIP;
}

/** The node does not fit now; preemption may help. */
export function unschedulable(...reasons: string[]): Status {
  return { code: 'Unschedulable', reasons };
}

/** The node does not fit and preemption on it cannot help. */
export function unresolvable(...reasons: string[]): Status {
  return { code: 'UnschedulableAndUnresolvable', reasons };
}

/** An internal failure (the pod is retried with backoff). */
export function errorStatus(message: string): Status {
  return { code: 'Error', reasons: [message] };
}

/** Whether the status lets the pod go on. */
export function isSuccess(status: Status): boolean {
  return status.code === 'Success';
}

/** Whether the status rejects the node (either unschedulable code). */
export function isRejection(status: Status): boolean {
  return status.code === 'Unschedulable' || status.code === 'UnschedulableAndUnresolvable';
}

/** The same status, stamped with the plugin that returned it. */
export function fromPlugin(status: Status, plugin: string): Status {
  return status.plugin === plugin || status.code === 'Success' ? status : { ...status, plugin };
}
