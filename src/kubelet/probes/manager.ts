/**
 * The kubelet's probe manager: one worker per container and probe kind of every pod
 * it is told about, their verdicts by container id (the `ProbeResults` the sync and
 * status computations take), an `Unhealthy` warning event for every failed run, and
 * a callback when a verdict changes so the pod is synced again. Workers stop when
 * their pod is removed or their container can never run again.
 */
import type { Container, Pod, Probe } from 'kubernetes-types/core/v1.js';
import type { Clock } from '../../client/index.js';
import type { CriClient } from '../../runtime/cri/client.js';
import type { EventSubject, EventType } from '../events.js';
import { isRestartableInitContainer, latestContainer, podRestartPolicy } from '../pod/podHelpers.js';
import type { ProbeResult, ProbeResults, RuntimePodStatus } from '../pod/runtimeTypes.js';
import { defaultHost } from './handlerTarget.js';
import type { CheckOutcome } from './outcome.js';
import { runProbe } from './runProbe.js';
import type { ContainerObservation, ProbeKind } from './worker.js';
import { ProbeWorker } from './worker.js';

/** What a ProbeManager works with. */
export interface ProbeManagerOptions {
  cri: Pick<CriClient, 'execSync'>;
  clock: Clock;
  /** Called when a verdict of pod `uid` changed. */
  onChange: (uid: string) => void;
  recordEvent: (subject: EventSubject, type: EventType, reason: string, message: string) => void;
  /** Runs a probe (default: the real handlers through `cri`). */
  run?: (probe: Probe, container: Container, containerId: string, host: string) => Promise<CheckOutcome>;
}

const KIND_NAME: Record<ProbeKind, string> = { liveness: 'Liveness', readiness: 'Readiness', startup: 'Startup' };

interface PodEntry {
  pod: Pod;
  runtime: RuntimePodStatus;
  workers: Map<string, ProbeWorker>;
}

/** Probe workers of the kubelet's pods and their verdicts. */
export class ProbeManager {
  readonly #o: ProbeManagerOptions;
  readonly #pods = new Map<string, PodEntry>();
  readonly #results: Record<ProbeKind, Map<string, ProbeResult>> = { liveness: new Map(), readiness: new Map(), startup: new Map() };

  constructor(options: ProbeManagerOptions) {
    this.#o = options;
  }

  /** The current verdicts, by container id. */
  results(): ProbeResults {
    return this.#results;
  }

  /** Records `pod`'s latest spec and runtime view, starting workers for probes not yet probed. */
  updatePod(pod: Pod, runtime: RuntimePodStatus): void {
    const uid = pod.metadata?.uid ?? '';
    let entry = this.#pods.get(uid);
    if (entry === undefined) this.#pods.set(uid, (entry = { pod, runtime, workers: new Map() }));
    entry.pod = pod;
    entry.runtime = runtime;
    const probed = [...(pod.spec?.initContainers ?? []).filter(isRestartableInitContainer), ...(pod.spec?.containers ?? [])];
    for (const container of probed) {
      const probes: [ProbeKind, Probe | undefined][] = [['startup', container.startupProbe], ['liveness', container.livenessProbe], ['readiness', container.readinessProbe]];
      for (const [kind, probe] of probes) {
        const key = `${container.name}/${kind}`;
        if (probe === undefined || entry.workers.has(key)) continue;
        const worker = this.#worker(uid, container, kind, probe);
        entry.workers.set(key, worker);
        worker.start();
      }
    }
  }

  /** Stops every worker of pod `uid` and forgets its verdicts. */
  removePod(uid: string): void {
    const entry = this.#pods.get(uid);
    if (entry === undefined) return;
    this.#pods.delete(uid);
    for (const worker of entry.workers.values()) worker.stop();
  }

  /** Stops every worker. */
  stop(): void {
    for (const uid of [...this.#pods.keys()]) this.removePod(uid);
  }

  #worker(uid: string, container: Container, kind: ProbeKind, probe: Probe): ProbeWorker {
    const run = this.#o.run ?? ((p, c, id, host) => runProbe(this.#o.cri, p, { container: c, containerId: id, host }));
    return new ProbeWorker({
      kind,
      probe,
      clock: this.#o.clock,
      observe: () => this.#observe(uid, container),
      run: (id) => {
        const entry = this.#pods.get(uid);
        const ip = entry?.runtime.sandboxes.find((s) => s.state === 'ready')?.ips[0];
        return run(probe, container, id, defaultHost(ip, entry?.pod.spec?.hostNetwork === true));
      },
      setResult: (id, result) => {
        const map = this.#results[kind];
        if (map.get(id) === result) return;
        if (result === undefined) map.delete(id);
        else map.set(id, result);
        if (this.#pods.has(uid)) this.#o.onChange(uid);
      },
      onUnsuccessful: (_id, outcome) => {
        const pod = this.#pods.get(uid)?.pod;
        if (pod === undefined) return;
        const verb = outcome.result === 'error' ? 'errored' : 'failed';
        this.#o.recordEvent({ pod, containerName: container.name }, 'Warning', 'Unhealthy', `${KIND_NAME[kind]} probe ${verb}: ${outcome.output}`);
      },
    });
  }

  #observe(uid: string, container: Container): ContainerObservation | undefined {
    const entry = this.#pods.get(uid);
    if (entry === undefined) return undefined;
    const latest = latestContainer(entry.runtime, container.name);
    if (latest === undefined) return undefined;
    const running = latest.state === 'running';
    const started = container.startupProbe === undefined || this.#results.startup.get(latest.id) === 'success';
    const neverRestarts = podRestartPolicy(entry.pod) === 'Never' && !isRestartableInitContainer(container);
    return {
      containerId: latest.id,
      running,
      ...(latest.startedAt !== undefined ? { startedAt: latest.startedAt } : {}),
      started,
      finished: !running && neverRestarts,
    };
  }
}
