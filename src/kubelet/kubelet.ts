/**
 * The kubelet's pod part: runs the pods bound to its node (watched in the API) and
 * the static pods of its pod manifest directory, if any, on the container runtime
 * through per-pod workers woken by the informer, the file source and the PLEG, and
 * reports their status. Deleting pods are stopped within their grace period, their
 * sandboxes removed, and the API object then deleted with gracePeriodSeconds 0.
 * Static pods run from their files alone, API or not; each gets a mirror pod in the
 * API (never run itself) that carries its status and comes back when deleted.
 * Runtime pods that no source knows (deleted while the kubelet was down) are removed
 * once the API's pods have been listed; running pods of known pods are adopted.
 *
 *   const kubelet = new Kubelet({ nodeName, client, cri, dataDir, podManifestPath });
 *   await kubelet.start(signal);   // resolves once the pod informer has synced
 *   …; abort(); await kubelet.stopped();
 */
import { join } from 'node:path';
import type { Pod, PodStatus } from 'kubernetes-types/core/v1.js';
import { isStatusReason } from '../api/status.js';
import { InformerFactory, deletedObject, realClock, sleep } from '../client/index.js';
import type { Clock, ResourceTarget, RestClient } from '../client/index.js';
import type { CriClient } from '../runtime/cri/client.js';
import type { RuntimePodStatus } from './pod/runtimeTypes.js';
import type { PodObject } from './apiObjects.js';
import { FileSource } from './config/fileSource.js';
import { MirrorClient } from './config/mirrorClient.js';
import { isMirrorPod } from './config/podSource.js';
import { StaticPodSet } from './config/staticPods.js';
import { DEFAULT_CLUSTER_DOMAIN, readHostResolver } from './dnsConfig.js';
import type { EventSubject, EventType } from './events.js';
import { PodEventRecorder } from './events.js';
import { ImagePuller } from './imagePuller.js';
import { ContainerLifecycle } from './lifecycle/containerLifecycle.js';
import { fetchPullSecrets } from './pullSecrets.js';
import { Pleg } from './pleg.js';
import { admissionRejection, rejectPod } from './podRejection.js';
import { DEFAULT_TERMINATION_GRACE_SECONDS, PodSyncer } from './podSync.js';
import { PodWorkers } from './podWorkers.js';
import { podDirectory, removeOrphanedPodFiles, removePodFiles } from './podFiles.js';
import { ProbeManager } from './probes/manager.js';
import { RuntimeView } from './runtimeView.js';
import { StatusManager } from './statusManager.js';
import { terminationMessage } from './terminationMessage.js';
import { RuntimeKey } from './runtimeLabels.js';
import { VolumeManager, WatchingSourceResolver, clientSourceResolver, volumeSourceReferences } from './volumes/index.js';
import type { VolumeSourceReference } from './volumes/index.js';

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
  /** The static pod manifest directory (none: no static pods). */
  podManifestPath?: string;
  /** How often the manifest directory is read besides its watch (default 20 s). */
  manifestRescanPeriodMs?: number;
  /** `--cluster-dns`: the cluster DNS server IPs given to ClusterFirst pods (default none: they fall back to Default). */
  clusterDNS?: readonly string[];
  /** `--cluster-domain` (default cluster.local). */
  clusterDomain?: string;
  /** Told about failed syncs and relists (they are retried); default: stderr. */
  onError?: (err: unknown, context: string) => void;
}

const DEFAULT_RESYNC_PERIOD_MS = 10_000;

/** An eviction decided by the eviction manager: the status to report and the grace period to kill with. */
interface Eviction {
  status: PodStatus;
  graceSeconds: number;
}

/** The eviction a pod's API status records (an evicted pod stays stopped across kubelet restarts). */
function recordedEviction(pod: Pod): Eviction | undefined {
  return pod.status?.phase === 'Failed' && pod.status.reason === 'Evicted' ? { status: pod.status, graceSeconds: 0 } : undefined;
}

/** One kubelet's pod loop; `start` once, abort its signal to stop (pods keep running). */
export class Kubelet {
  readonly #o: KubeletOptions;
  readonly #clock: Clock;
  /** The pods from the API (mirror pods aside), by uid. */
  readonly #apiPods = new Map<string, Pod>();
  readonly #staticPods: StaticPodSet;
  #apiSynced = false;
  readonly #syncer: PodSyncer;
  readonly #status: StatusManager;
  readonly #workers: PodWorkers;
  readonly #view: RuntimeView;
  readonly #volumes: VolumeManager;
  readonly #volumeSources: WatchingSourceResolver;
  readonly #events: PodEventRecorder;
  readonly #probes: ProbeManager;
  readonly #onError: (err: unknown, context: string) => void;
  readonly #evictions = new Map<string, Eviction>();
  #running: Promise<void> = Promise.resolve();

  constructor(options: KubeletOptions) {
    this.#o = options;
    this.#clock = options.clock ?? realClock;
    this.#onError = options.onError ?? ((err, context) => console.error(`kubelet: ${context}:`, err));
    const hostIPs = options.hostIPs ?? ['127.0.0.1'];
    this.#volumeSources = new WatchingSourceResolver({
      client: options.client,
      fallback: clientSourceResolver(options.client),
      clock: this.#clock,
      onChange: (reference) => this.#volumeSourceChanged(reference),
      onError: (err, context) => this.#onError(err, `volume source watch: ${context}`),
    });
    this.#volumes = new VolumeManager({ podsDir: join(options.dataDir, 'pod-dirs'), resolver: this.#volumeSources, clock: this.#clock });
    this.#events = new PodEventRecorder(options.client, this.#clock, options.nodeName, (err) => this.#onError(err, 'event'));
    const recordEvent = (subject: EventSubject, type: EventType, reason: string, message: string): void => this.#events.record(subject.pod, type, reason, message, subject.containerName);
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
    this.#staticPods = new StaticPodSet(new MirrorClient(options.client, options.nodeName));
    this.#workers = new PodWorkers((uid) => this.#syncPod(uid), this.#clock, (err, uid) => this.#onError(err, `sync of pod ${uid}`));
  }

  /**
   * Reads the pod manifest directory and starts its static pods, the PLEG and the
   * periodic resync; then starts the informer and waits for its first list, after
   * which runtime pods no source knows are removed.
   */
  async start(signal: AbortSignal): Promise<void> {
    const files = this.#o.podManifestPath === undefined ? undefined : new FileSource({
      dir: this.#o.podManifestPath,
      nodeName: this.#o.nodeName,
      clock: this.#clock,
      ...(this.#o.manifestRescanPeriodMs !== undefined ? { rescanPeriodMs: this.#o.manifestRescanPeriodMs } : {}),
      onPods: (pods) => this.#setStaticPods(pods),
      onError: (err, path) => this.#onError(err, `static pod manifest ${path}`),
    });
    await files?.start(signal);
    const factory = new InformerFactory(this.#o.client, { clock: this.#clock, onError: this.#onError });
    const informer = factory.informerFor<PodObject>({ group: '', version: 'v1', resource: 'pods' }, { fieldSelector: `spec.nodeName=${this.#o.nodeName}` });
    informer.addEventHandler({
      onAdd: (pod) => this.#observe(pod),
      onUpdate: (old, pod) => this.#observe(pod, podsDifferForSync(old, pod)),
      onDelete: (value) => this.#forget(deletedObject(value)),
    });
    factory.start(signal);
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
        if (signal.aborted) break;
        for (const uid of this.#knownUids()) this.#workers.update(uid);
        this.#volumeSources.retain(this.#allPods().flatMap(volumeSourceReferences));
      }
    };
    this.#running = Promise.all([factory.stopped(), pleg.run(signal), resync(), files?.stopped()]).then(() => {
      this.#volumeSources.stop();
      this.#probes.stop();
      return this.#workers.stop();
    });
    await factory.waitForCacheSync(signal);
    if (signal.aborted) return;
    this.#apiSynced = true;
    await this.#removeOrphans();
  }

  /** Resolves when everything started by `start` has stopped (after its signal aborted). */
  stopped(): Promise<void> {
    return this.#running;
  }

  /** The pods bound to this node that are not terminal, not being deleted and not evicted. */
  activePods(): Pod[] {
    const terminal = (pod: Pod): boolean => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
    return this.#allPods().filter((pod) => pod.metadata?.deletionTimestamp === undefined && !terminal(pod) && !this.#evictions.has(pod.metadata?.uid ?? ''));
  }

  /** Has the pod's worker stop its containers within `graceSeconds` and report `status` (Failed, Evicted) from then on. */
  evictPod(pod: Pod, status: PodStatus, graceSeconds: number): void {
    const uid = pod.metadata?.uid ?? '';
    this.#evictions.set(uid, { status, graceSeconds });
    this.#workers.update(uid);
  }

  #observe(pod: Pod, needsSync = true): void {
    if (isMirrorPod(pod)) {
      const owners = this.#staticPods.observeMirror(pod);
      if (owners.length === 0) this.#deleteOrphanedMirrors();
      if (needsSync) for (const uid of owners) this.#workers.update(uid);
      return;
    }
    const uid = pod.metadata?.uid ?? '';
    this.#apiPods.set(uid, pod);
    if (needsSync) this.#workers.update(uid);
  }

  /** Syncs the pods whose volumes read the changed object, so its new content is projected now. */
  #volumeSourceChanged(changed: VolumeSourceReference): void {
    for (const pod of this.#allPods()) {
      const reads = volumeSourceReferences(pod).some((r) => r.resource === changed.resource && r.namespace === changed.namespace && r.name === changed.name);
      if (reads) this.#workers.update(pod.metadata?.uid ?? '');
    }
  }

  #forget(pod: Pod): void {
    if (isMirrorPod(pod)) {
      for (const uid of this.#staticPods.forgetMirror(pod)) this.#workers.update(uid);
      return;
    }
    const uid = pod.metadata?.uid ?? '';
    this.#apiPods.delete(uid);
    this.#workers.update(uid);
  }

  #setStaticPods(pods: readonly Pod[]): void {
    const { added, removed } = this.#staticPods.replace(pods);
    for (const uid of [...added, ...removed]) this.#workers.update(uid);
    if (removed.length > 0) this.#deleteOrphanedMirrors();
  }

  #deleteOrphanedMirrors(): void {
    this.#staticPods.deleteOrphanedMirrors().catch((err: unknown) => this.#onError(err, 'deleting orphaned mirror pods'));
  }

  /** The uids of every pod a source knows: API pods and static pods. */
  #knownUids(): string[] {
    return [...this.#apiPods.keys(), ...this.#staticPods.uids()];
  }

  /** Every pod a source knows: API pods and static pods. */
  #allPods(): Pod[] {
    return [...this.#apiPods.values(), ...this.#staticPods.uids().flatMap((uid) => this.#staticPods.get(uid) ?? [])];
  }

  async #syncPod(uid: string): Promise<number | undefined> {
    const pod = this.#staticPods.get(uid) ?? this.#apiPods.get(uid);
    if (pod === undefined) {
      // Before the API's pods are listed, an unknown runtime pod may still be one of them.
      if (!this.#apiSynced && !this.#staticPods.isStopping(uid)) return undefined;
      await this.#syncer.terminate(uid, undefined, true);
      for (const waiting of this.#staticPods.markStopped(uid)) this.#workers.update(waiting);
      await removePodFiles(this.#volumes, uid);
      this.#events.forget(uid);
      this.#syncer.forget(uid);
      this.#status.forget(uid);
      this.#probes.removePod(uid);
      this.#workers.remove(uid);
      this.#evictions.delete(uid);
      return undefined;
    }
    if (pod.metadata?.deletionTimestamp !== undefined) {
      const grace = pod.metadata.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? DEFAULT_TERMINATION_GRACE_SECONDS;
      this.#probes.removePod(uid);
      await this.#syncer.terminate(uid, grace, true, pod);
      await this.#deleteObject(pod);
      return undefined;
    }
    const eviction = this.#evictions.get(uid) ?? recordedEviction(pod);
    if (eviction !== undefined) {
      this.#probes.removePod(uid);
      await this.#syncer.terminate(uid, eviction.graceSeconds, false, pod);
      await this.#status.update(pod, await this.#view.podStatus(uid), this.#syncer.startFailures(uid), { terminal: eviction.status });
      return undefined;
    }
    const rejection = admissionRejection(pod);
    if (rejection !== undefined) {
      await rejectPod(this.#o.client, this.#events, pod, rejection);
      return undefined;
    }
    if (!this.#staticPods.mayStart(pod)) return undefined; // woken when the old version has stopped
    const outcome = await this.#syncer.sync(pod);
    this.#probes.updatePod(pod, outcome.runtime);
    if (this.#staticPods.get(uid) === undefined) {
      await this.#status.update(pod, outcome.runtime, this.#syncer.startFailures(uid), { probes: this.#probes.results() });
    } else {
      await this.#reportStaticPod(pod, outcome.runtime);
    }
    return outcome.retryAfterMs;
  }

  /** Keeps a static pod's mirror current and writes its status there; failures (no API) are told, never fail the sync. */
  async #reportStaticPod(pod: Pod, runtime: RuntimePodStatus): Promise<void> {
    const uid = pod.metadata?.uid ?? '';
    try {
      const mirror = await this.#staticPods.syncMirror(pod);
      if (mirror !== undefined) await this.#status.update(pod, runtime, this.#syncer.startFailures(uid), { probes: this.#probes.results(), mirror });
    } catch (err) {
      this.#onError(err, `mirror pod of static pod ${pod.metadata?.namespace}/${pod.metadata?.name}`);
    }
  }

  /**
   * Once the API's pods are listed: removes runtime pods no source knows (deleted
   * while the kubelet was down) and the pod dirs of pods neither a source nor the runtime knows.
   */
  async #removeOrphans(): Promise<void> {
    try {
      const running = [...(await this.#view.fingerprints()).keys()];
      for (const uid of running) this.#workers.update(uid);
      await removeOrphanedPodFiles(this.#volumes, new Set([...this.#knownUids(), ...running]));
    } catch (err) {
      this.#onError(err, 'cleaning up orphaned pods');
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
