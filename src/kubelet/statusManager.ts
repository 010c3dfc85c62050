/**
 * The API status of the pods the kubelet runs (upstream's status manager): phase,
 * conditions, container statuses, pod and host IPs, start time and QoS class,
 * computed from the runtime's view and written with a PATCH of pods/{name}/status
 * only when it changed. A terminal phase (Succeeded, Failed) never goes back.
 */
import type { Pod, PodStatus } from 'kubernetes-types/core/v1.js';
import { isStatusReason } from '../api/status.js';
import type { Clock, ResourceTarget, RestClient } from '../client/index.js';
import type { PodObject } from './apiObjects.js';
import { sandboxChange } from './pod/actions.js';
import { podConditions } from './pod/conditions.js';
import { apiContainerStatuses } from './pod/containerStatuses.js';
import { podPhase } from './pod/phase.js';
import { apiTime } from './pod/podHelpers.js';
import { podQOSClass } from './pod/qos.js';
import type { ProbeResults, RuntimePodStatus, StartFailure } from './pod/runtimeTypes.js';

function isTerminal(phase: string | undefined): boolean {
  return phase === 'Succeeded' || phase === 'Failed';
}

/** Inputs of one status computation beyond the pod. */
export interface StatusInputs {
  runtime: RuntimePodStatus;
  startFailures: ReadonlyMap<string, StartFailure>;
  /** Probe verdicts by container id (ready/started); absent: no probes have run. */
  probes?: ProbeResults;
  hostIPs: readonly string[];
  now: number;
}

/** The status the kubelet reports for `pod`, building on `previous` (its last written status). */
export function computePodStatus(pod: Pod, previous: PodStatus | undefined, inputs: StatusInputs): PodStatus {
  const { containerStatuses, initContainerStatuses } = apiContainerStatuses(pod, {
    runtime: inputs.runtime,
    ...(previous !== undefined ? { previous } : {}),
    startFailures: inputs.startFailures,
    ...(inputs.probes !== undefined ? { probes: inputs.probes } : {}),
  });
  const all = [...initContainerStatuses, ...containerStatuses];
  const computed = podPhase(pod, all, false);
  const phase = isTerminal(previous?.phase) ? (previous?.phase as 'Succeeded' | 'Failed') : computed;
  const sandboxReady = !sandboxChange(pod, inputs.runtime).needed;
  const conditions = podConditions({ ...pod, status: previous ?? {} }, { statuses: all, phase, sandboxReady, now: inputs.now });
  // A hostNetwork pod's IPs are the node's, once its sandbox is up.
  const hostNetwork = pod.spec?.hostNetwork === true;
  const ready = inputs.runtime.sandboxes.find((s) => s.state === 'ready' && (hostNetwork || s.ips.length > 0));
  const podIPs = ready !== undefined ? (hostNetwork ? inputs.hostIPs : ready.ips) : (previous?.podIPs ?? []).map((p) => p.ip ?? '');
  const status: PodStatus = {
    phase,
    conditions: conditions as PodStatus['conditions'],
    hostIP: inputs.hostIPs[0],
    hostIPs: inputs.hostIPs.map((ip) => ({ ip })),
    startTime: previous?.startTime ?? apiTime(inputs.now),
    containerStatuses,
    qosClass: podQOSClass(pod),
  };
  if (podIPs.length > 0) {
    status.podIP = podIPs[0];
    status.podIPs = podIPs.map((ip) => ({ ip }));
  }
  if (initContainerStatuses.length > 0) status.initContainerStatuses = initContainerStatuses;
  if (isTerminal(phase) && previous?.reason !== undefined) status.reason = previous.reason;
  if (isTerminal(phase) && previous?.message !== undefined) status.message = previous.message;
  return status;
}

/** `previous` with `terminal`'s phase, reason and message, and its conditions replacing those of the same types. */
function withTerminalStatus(previous: PodStatus | undefined, terminal: PodStatus): PodStatus {
  const added = terminal.conditions ?? [];
  const kept = (previous?.conditions ?? []).filter((c) => !added.some((a) => a.type === c.type));
  return { ...previous, phase: terminal.phase, reason: terminal.reason, message: terminal.message, conditions: [...kept, ...added] };
}

/** What a status update may add: probe results, an eviction's terminal status, the mirror pod to write to. */
export interface StatusExtras {
  probes?: ProbeResults;
  terminal?: PodStatus;
  mirror?: Pod;
}

const PODS = (namespace: string): ResourceTarget => ({ group: '', version: 'v1', resource: 'pods', namespace });

/** Writes pod statuses; remembers what it wrote per pod uid. */
export class StatusManager {
  readonly #client: RestClient;
  readonly #clock: Clock;
  readonly #hostIPs: readonly string[];
  /** Per uid: the status last written (as the server returned it), its computed form and the uid of the API object written to. */
  readonly #written = new Map<string, { status: PodStatus; computed: string; targetUid: string }>();

  constructor(client: RestClient, clock: Clock, hostIPs: readonly string[]) {
    this.#client = client;
    this.#clock = clock;
    this.#hostIPs = hostIPs;
  }

  /** The status last written for pod `uid`, if any. */
  written(uid: string): PodStatus | undefined {
    return this.#written.get(uid)?.status;
  }

  /**
   * Computes `pod`'s status and PATCHes it when it differs from the last one written.
   * The status goes to `pod` itself or, for a static pod, to its mirror pod
   * `extras.mirror` (a new mirror gets it even if unchanged). A `terminal` status (an
   * eviction's) overrides phase, reason and message and adds its conditions. A pod
   * gone from the API is ignored.
   */
  async update(pod: Pod, runtime: RuntimePodStatus, startFailures: ReadonlyMap<string, StartFailure>, extras: StatusExtras = {}): Promise<void> {
    const { probes, terminal, mirror } = extras;
    const uid = pod.metadata?.uid ?? '';
    const target = mirror ?? pod;
    const targetUid = target.metadata?.uid ?? '';
    const last = this.#written.get(uid);
    const base = last?.status ?? target.status;
    const previous = terminal === undefined ? base : withTerminalStatus(base, terminal);
    const status = computePodStatus(pod, previous, { runtime, startFailures, ...(probes !== undefined ? { probes } : {}), hostIPs: this.#hostIPs, now: this.#clock.now() });
    const computed = JSON.stringify(status);
    if (last?.computed === computed && last.targetUid === targetUid) return;
    try {
      const updated = await this.#client.patch<PodObject>(PODS(target.metadata?.namespace ?? ''), target.metadata?.name ?? '', 'merge', { metadata: { uid: targetUid }, status }, { subresource: 'status' });
      this.#written.set(uid, { status: updated.status ?? status, computed, targetUid });
    } catch (err) {
      if (isStatusReason(err, 'NotFound') || isStatusReason(err, 'Conflict')) return;
      throw err;
    }
  }

  /** Forgets a pod that is gone. */
  forget(uid: string): void {
    this.#written.delete(uid);
  }
}
