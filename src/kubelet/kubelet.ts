/**
 * The kubelet's pod part: watches the pods bound to its node, runs them on the
 * container runtime through per-pod workers woken by the informer and the PLEG, and
 * reports their status. Deleting pods are stopped within their grace period, their
 * sandboxes removed, and the API object then deleted with gracePeriodSeconds 0.
 * Runtime pods with no API object (deleted while the kubelet was down) are removed;
 * running pods of known API objects are adopted as they are.
 *
 *   const kubelet = new Kubelet({ nodeName, client, cri, dataDir });
 *   await kubelet.start(signal);   // resolves once the pod informer has synced
 *   …; abort(); await kubelet.stopped();
 */
import { join } from 'node:path';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { isStatusReason } from '../api/status.js';
import { InformerFactory, deletedObject, realClock, sleep } from '../client/index.js';
import type { Clock, ResourceTarget, RestClient } from '../client/index.js';
import type { CriClient } from '../runtime/cri/client.js';
import type { PodObject } from './apiObjects.js';
import { DEFAULT_CLUSTER_DOMAIN, readHostResolver } from './dnsConfig.js';
import type { EventSubject, EventType } from './events.js';
import { PodEventRecorder } from './events.js';
import { ImagePuller } from './imagePuller.js';
import { ContainerLifecycle } from './lifecycle/containerLifecycle.js';
import { fetchPullSecrets } from './pullSecrets.js';
import { Pleg } from './pleg.js';
import { DEFAULT_TERMINATION_GRACE_SECONDS, PodSyncer } from './podSync.js';
import { PodWorkers } from './podWorkers.js';
import { podDirectory, removeOrphanedPodFiles, removePodFiles } from './podFiles.js';
import { ProbeManager } from './probes/manager.js';
import { RuntimeView } from './runtimeView.js';
import { StatusManager } from './statusManager.js';
import { terminationMessage } from './terminationMessage.js';
import { RuntimeKey } from './runtimeLabels.js';
import { VolumeManager, clientSourceResolver } from './volumes/index.js';

/**
 * Whether an update of a pod is one the kubelet acts on: upstream ignores updates of
 * only the status (the kubelet's own writes), so a waiting reason such as ErrImagePull
 * stays visible until the next sync the pod worker schedules.
 */
function podsDifferForSync(old: Pod, pod: Pod): boolean {
  const relevant = (p: Pod): string => JSON.stringify([
    p.spec,
    p.metadata?.labels,
    p.metadata?.annotations,
    p.metadata?.deletionTimestamp,
    p.metadata?.deletionGracePeriodSeconds,
  ]);
  return relevant(old) !== relevant(pod);
}

/** How a Kubelet is set up. */
export interface KubeletOptions {
  nodeName: string;
  client: RestClient;
  cri: CriClient;
  /** The kubelet's data dir (pod logs under `<dataDir>/pods`, pod volumes and files under `<dataDir>/pod-dirs/<uid>`). */
  dataDir: string;
  clock?: Clock;
  /** The node's IPs, written as the pods' hostIP(s) (default 127.0.0.1). */
  hostIPs?: string[];
  /** PLEG relist period (default 1 s). */
  relistPeriodMs?: number;
  /** Every pod is synced at least this often (default 10 s). */
  resyncPeriodMs?: number;
  /** The host resolver file (default /etc/resolv.conf). */
  resolvConfPath?: string;
  /** `--cluster-dns`: the cluster DNS server IPs given to ClusterFirst pods (default none: they fall back to Default). */
  clusterDNS?: readonly string[];
  /** `--cluster-domain` (default cluster.local). */
  clusterDomain?: string;
  /** Told about failed syncs and relists (they are retried); default: stderr. */
  onError?: (err: unknown, context: string) => void;
}

const DEFAULT_RESYNC_PERIOD_MS = 10_000;

/** One kubelet's pod loop; `start` once, abort its signal to stop (pods keep running). */
export class Kubelet {
  readonly #o: KubeletOptions;
  readonly #clock: Clock;
  readonly #pods = new Map<string, Pod>();
  readonly #syncer: PodSyncer;
  readonly #status: StatusManager;
  readonly #workers: PodWorkers;
  readonly #view: RuntimeView;
  readonly #volumes: VolumeManager;
  readonly #events: PodEventRecorder;
  readonly #probes: ProbeManager;
  readonly #onError: (err: unknown, context: string) => void;
  #running: Promise<void> = Promise.resolve();

  constructor(options: KubeletOptions) {
    this.#o = options;
    this.#clock = options.clock ?? realClock;
    this.#onError = options.onError ?? ((err, context) => console.error(`kubelet: ${context}:`, err));
    const hostIPs = options.hostIPs ?? ['127.0.0.1'];
    this.#volumes = new VolumeManager({ podsDir: join(options.dataDir, 'pod-dirs'), resolver: clientSourceResolver(options.client), clock: this.#clock });
    this.#events = new PodEventRecorder(options.client, this.#clock, options.nodeName, (err) => this.#onError(err, 'event'));
    const recordEvent = (subject: EventSubject, type: EventType, reason: string, message: string): void => void this.#events.record(subject.pod, type, reason, message, subject.containerName);
    this.#view = new RuntimeView(options.cri, (status) => terminationMessage(podDirectory(this.#volumes, status.labels[RuntimeKey.podUid] ?? ''), status));
    this.#probes = new ProbeManager({ cri: options.cri, clock: this.#clock, recordEvent, onChange: (uid) => this.#workers.update(uid) });
    this.#syncer = new PodSyncer({
      cri: options.cri,
      view: this.#view,
      client: options.client,
      clock: this.#clock,
      puller: new ImagePuller(options.cri, this.#clock, (pod) => fetchPullSecrets(options.client, pod), (pod, container, type, reason, message) => recordEvent({ pod, containerName: container.name }, type, reason, message)),
      dataDir: options.dataDir,
      nodeName: options.nodeName,
      hostIPs,
      hostResolver: () => readHostResolver(options.resolvConfPath),
      clusterDNS: options.clusterDNS ?? [],
      clusterDomain: options.clusterDomain ?? DEFAULT_CLUSTER_DOMAIN,
      volumes: this.#volumes,
      events: this.#events,
      lifecycle: new ContainerLifecycle({ cri: options.cri, clock: this.#clock, recordEvent }),
      probeResults: () => this.#probes.results(),
    });
    this.#status = new StatusManager(options.client, this.#clock, hostIPs);
    this.#workers = new PodWorkers((uid) => this.#syncPod(uid), this.#clock, (err, uid) => this.#onError(err, `sync of pod ${uid}`));
  }

  /** Starts the informer, waits for its first list, then starts the PLEG and periodic resync. */
  async start(signal: AbortSignal): Promise<void> {
    const factory = new InformerFactory(this.#o.client, { clock: this.#clock, onError: this.#onError });
    const informer = factory.informerFor<PodObject>({ group: '', version: 'v1', resource: 'pods' }, { fieldSelector: `spec.nodeName=${this.#o.nodeName}` });
    informer.addEventHandler({
      onAdd: (pod) => this.#observe(pod),
      onUpdate: (old, pod) => this.#observe(pod, podsDifferForSync(old, pod)),
      onDelete: (value) => {
        const uid = deletedObject(value).metadata?.uid ?? '';
        this.#pods.delete(uid);
        this.#workers.update(uid);
      },
    });
    factory.start(signal);
    await factory.waitForCacheSync(signal);
    await this.#removeOrphanedPodFiles();
    const pleg = new Pleg({
      view: this.#view,
      clock: this.#clock,
      ...(this.#o.relistPeriodMs !== undefined ? { periodMs: this.#o.relistPeriodMs } : {}),
      onPodChanged: (uid) => this.#workers.update(uid),
      onError: (err) => this.#onError(err, 'relist'),
    });
    const resync = async (): Promise<void> => {
      while (!signal.aborted) {
        await sleep(this.#clock, this.#o.resyncPeriodMs ?? DEFAULT_RESYNC_PERIOD_MS, signal);
        if (!signal.aborted) for (const uid of this.#pods.keys()) this.#workers.update(uid);
      }
    };
    this.#running = Promise.all([factory.stopped(), pleg.run(signal), resync()]).then(() => {
      this.#probes.stop();
      return this.#workers.stop();
    });
  }

  /** Resolves when everything started by `start` has stopped (after its signal aborted). */
  stopped(): Promise<void> {
    return this.#running;
  }

  #observe(pod: Pod, needsSync = true): void {
    const uid = pod.metadata?.uid ?? '';
    this.#pods.set(uid, pod);
    if (needsSync) this.#workers.update(uid);
  }

  async #syncPod(uid: string): Promise<number | undefined> {
    const pod = this.#pods.get(uid);
    if (pod === undefined) {
      await this.#syncer.terminate(uid, undefined, true);
      await removePodFiles(this.#volumes, uid);
      this.#events.forget(uid);
      this.#syncer.forget(uid);
      this.#status.forget(uid);
      this.#probes.removePod(uid);
      this.#workers.remove(uid);
      return undefined;
    }
    if (pod.metadata?.deletionTimestamp !== undefined) {
      const grace = pod.metadata.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? DEFAULT_TERMINATION_GRACE_SECONDS;
      this.#probes.removePod(uid);
      await this.#syncer.terminate(uid, grace, true, pod);
      await this.#deleteObject(pod);
      return undefined;
    }
    const outcome = await this.#syncer.sync(pod);
    this.#probes.updatePod(pod, outcome.runtime);
    await this.#status.update(pod, outcome.runtime, this.#syncer.startFailures(uid), this.#probes.results());
    return outcome.retryAfterMs;
  }

  /** Removes the pod dirs of pods neither the API nor the runtime knows (deleted while the kubelet was down). */
  async #removeOrphanedPodFiles(): Promise<void> {
    try {
      const known = new Set([...this.#pods.keys(), ...(await this.#view.fingerprints()).keys()]);
      await removeOrphanedPodFiles(this.#volumes, known);
    } catch (err) {
      this.#onError(err, 'cleaning up orphaned pod dirs');
    }
  }

  async #deleteObject(pod: Pod): Promise<void> {
    const target: ResourceTarget = { group: '', version: 'v1', resource: 'pods', namespace: pod.metadata?.namespace ?? '' };
    try {
      await this.#o.client.delete(target, pod.metadata?.name ?? '', { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata?.uid ?? '' } });
    } catch (err) {
      if (!isStatusReason(err, 'NotFound') && !isStatusReason(err, 'Conflict')) throw err;
    }
  }
}
