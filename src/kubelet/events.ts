/**
 * The kubelet's event recorder: Warning/Normal core/v1 Events about its pods and their
 * containers, with `source.component` kubelet and the node as host; repeats are
 * counted and writes happen in the background (see client/eventRecorder.ts).
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import { EventRecorder } from '../client/index.js';
import type { Clock, EventType, RestClient } from '../client/index.js';

export type { EventType } from '../client/index.js';

/** What an event is about: a pod, or one of its containers by name. */
export interface EventSubject {
  pod: Pod;
  containerName?: string;
}

/** The field path of container `name` of `pod`: spec.containers{name}, spec.initContainers{name}, … */
function containerFieldPath(pod: Pod, name: string): string {
  if (pod.spec?.initContainers?.some((c) => c.name === name)) return `spec.initContainers{${name}}`;
  if (pod.spec?.ephemeralContainers?.some((c) => c.name === name)) return `spec.ephemeralContainers{${name}}`;
  return `spec.containers{${name}}`;
}

/** Records events about pods; see the module comment. */
export class PodEventRecorder {
  readonly #recorder: EventRecorder;

  constructor(client: RestClient, clock: Clock, nodeName: string, onError: (err: unknown) => void) {
    this.#recorder = new EventRecorder(client, clock, { component: 'kubelet', host: nodeName }, onError);
  }

  /** Queues `reason`/`message` about `pod`, or about its container `containerName` (involvedObject.fieldPath). */
  record(pod: Pod, type: EventType, reason: string, message: string, containerName?: string): void {
    const fieldPath = containerName !== undefined ? containerFieldPath(pod, containerName) : undefined;
    this.#recorder.record({ apiVersion: 'v1', kind: 'Pod', metadata: pod.metadata ?? {} }, type, reason, message, fieldPath);
  }

  /** Resolves once every event recorded so far was written (or failed). */
  flushed(): Promise<void> {
    return this.#recorder.flushed();
  }

  /** Forgets the events of a pod that is gone (after the ones already queued are written). */
  forget(uid: string): void {
    this.#recorder.forget(uid);
  }
}
