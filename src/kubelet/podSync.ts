/**
 * One sync of one pod against the runtime (upstream kuberuntime `SyncPod` and
 * `KillPod`): compute the actions, kill what must go, make a sandbox when needed, and
 * start init containers and containers — honouring crash-loop back-off, image pull
 * policy and config errors, which are remembered as the container's start failure.
 * Volumes are set up before anything starts (a failure is a FailedMount event and the
 * pod waits in ContainerCreating) and refreshed on every sync of a running pod; each
 * container gets its volume mounts, the managed /etc/hosts and a termination message file.
 * A new sandbox is placed in the pod's cgroup (under its QoS class), which goes with the pod.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import type { Clock, RestClient } from '../client/index.js';
import type { CriClient } from '../runtime/cri/client.js';
import { NotFoundError } from '../runtime/cri/errors.js';
import type { Mount, PodSandboxConfig } from '../runtime/cri/types.js';
import type { HostResolver } from './dnsConfig.js';
import { podDnsConfig } from './dnsConfig.js';
import { kernelHostname, managesEtcHosts, writeEtcHosts } from './etcHosts.js';
import type { PodEventRecorder } from './events.js';
import { PodCgroups, defaultCgroupRoot, nodeCapacity } from './cm/podCgroups.js';
import { ContainerConfigError, containerConfig } from './containerConfig.js';
import { fetchEnvSources } from './envSources.js';
import type { ImagePuller } from './imagePuller.js';
import type { ContainerLifecycle } from './lifecycle/containerLifecycle.js';
import { computePodActions } from './pod/actions.js';
import { BackOff, backOffBeforeStart, backOffKey } from './pod/backoff.js';
import { EnvironmentError, containerEnvironment } from './pod/environment.js';
import { formatPod, latestContainer } from './pod/podHelpers.js';
import type { ProbeResults, RuntimePodStatus, StartFailure } from './pod/runtimeTypes.js';
import { RuntimeKey, containerSpecHash } from './runtimeLabels.js';
import type { RuntimeView } from './runtimeView.js';
import { podLogDirectory, podSandboxConfig, seccompProfileRoot } from './sandboxConfig.js';
import { podDirectory } from './podFiles.js';
import { prepareTerminationMessage } from './terminationMessage.js';
import { FAILED_MOUNT_REASON, VolumeMountConfigError, VolumeMountError } from './volumes/index.js';
import type { PodVolumes, VolumeManager } from './volumes/index.js';

/** Upstream's default terminationGracePeriodSeconds. */
export const DEFAULT_TERMINATION_GRACE_SECONDS = 30;

/** What a PodSyncer works with. */
export interface PodSyncerOptions {
  cri: CriClient;
  view: RuntimeView;
  client: RestClient;
  clock: Clock;
  puller: ImagePuller;
  /** The kubelet's data dir: pod logs go under `<dataDir>/pods`. */
  dataDir: string;
  nodeName: string;
  hostIPs: readonly string[];
  hostResolver: () => Promise<HostResolver>;
  /** `--cluster-dns`: the cluster DNS server IPs (empty: ClusterFirst falls back to Default). */
  clusterDNS: readonly string[];
  /** `--cluster-domain`. */
  clusterDomain: string;
  volumes: VolumeManager;
  events: PodEventRecorder;
  /** Runs postStart/preStop hooks and stops containers. */
  lifecycle: ContainerLifecycle;
  /** The probe manager's current verdicts (liveness/startup failures restart containers). */
  probeResults: () => ProbeResults;
  /** The pods' cgroups (default: under `defaultCgroupRoot(dataDir)` with this machine's capacity). */
  cgroups?: PodCgroups;
}

/** Retry a pod whose volumes could not be set up after this long. */
const VOLUME_RETRY_MS = 2_000;

/** What a sync leaves behind. */
export interface SyncOutcome {
  /** The runtime's view of the pod after the sync. */
  runtime: RuntimePodStatus;
  /** Sync again after this long (a back-off ends); absent: wait for a change. */
  retryAfterMs?: number;
}

interface SandboxInUse {
  id: string;
  config: PodSandboxConfig;
  ips: string[];
}

/** Runs pod syncs and kills; keeps each pod's start failures for its status. */
export class PodSyncer {
  readonly #o: PodSyncerOptions;
  readonly #crashBackOff: BackOff;
  readonly #failures = new Map<string, Map<string, StartFailure>>();
  readonly #cgroups: PodCgroups;

  constructor(options: PodSyncerOptions) {
    this.#o = options;
    this.#cgroups = options.cgroups ?? new PodCgroups(defaultCgroupRoot(options.dataDir), nodeCapacity());
    this.#crashBackOff = new BackOff(options.clock);
  }

  /** The last start failure of each container of pod `uid` that has not started since. */
  startFailures(uid: string): ReadonlyMap<string, StartFailure> {
    return this.#failures.get(uid) ?? new Map();
  }

  /** Forgets everything about a pod that is gone. */
  forget(uid: string): void {
    this.#failures.delete(uid);
    this.#o.puller.forgetPod(uid);
  }

  /** Brings the runtime towards `pod`'s spec; see the module comment. */
  async sync(pod: Pod): Promise<SyncOutcome> {
    const uid = pod.metadata?.uid ?? '';
    const runtime = await this.#o.view.podStatus(uid);
    const actions = computePodActions(pod, runtime, { changedContainers: changedContainers(pod, runtime), probes: this.#o.probeResults() });
    const grace = pod.spec?.terminationGracePeriodSeconds ?? DEFAULT_TERMINATION_GRACE_SECONDS;
    const killsSomething = actions.killPod || actions.containersToKill.length > 0;
    if (killsSomething) this.#o.view.invalidate(uid);
    if (actions.killPod) {
      await this.#killPod(runtime, grace, false, pod);
    } else {
      await Promise.all(actions.containersToKill.map((c) => this.#stopContainer(c.id, grace, pod, runtime, c.message)));
    }
    if (actions.initContainersToStart.length === 0 && actions.containersToStart.length === 0 && !actions.createSandbox) {
      if (runtime.containers.some((c) => c.state === 'running')) await this.#refreshVolumes(pod);
      return { runtime: killsSomething ? await this.#o.view.podStatus(uid) : runtime };
    }
    this.#o.view.invalidate(uid);
    const specs = [
      ...actions.initContainersToStart.map((i) => pod.spec?.initContainers?.[i]),
      ...actions.containersToStart.map((i) => pod.spec?.containers?.[i]),
    ].filter((c): c is Container => c !== undefined);
    const volumes = await this.#setUpVolumes(pod);
    if (volumes === undefined) {
      for (const container of specs) this.#recordFailure(uid, container.name, { reason: 'ContainerCreating' });
      return { runtime: await this.#o.view.podStatus(uid), retryAfterMs: VOLUME_RETRY_MS };
    }

    const sandbox = actions.createSandbox ? await this.#createSandbox(pod, actions.sandboxAttempt) : await this.#currentSandbox(pod, runtime);
    let retryAfterMs: number | undefined;
    const initCount = actions.initContainersToStart.length;
    for (const [index, container] of specs.entries()) {
      const retry = await this.#startContainer(pod, container, sandbox, runtime, volumes);
      if (retry !== undefined) retryAfterMs = Math.min(retryAfterMs ?? retry, retry);
      // Init containers run one after another: stop at the first that could not start.
      if (retry !== undefined && index < initCount) break;
    }
    return { runtime: await this.#o.view.podStatus(uid), ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  }

  /**
   * Stops every container of pod `uid` (StopContainer with `graceSeconds`, or each
   * container's recorded termination grace when undefined) and its sandboxes;
   * removes the sandboxes (and so the containers) and the pod's cgroup when `remove` is set.
   */
  async terminate(uid: string, graceSeconds: number | undefined, remove: boolean, pod?: Pod): Promise<void> {
    this.#o.view.invalidate(uid);
    const runtime = await this.#o.view.podStatus(uid);
    await this.#killPod(runtime, graceSeconds, remove, pod);
    this.#o.view.invalidate(uid);
    if (remove) await this.#cgroups.removePod(uid);
  }

  async #killPod(runtime: RuntimePodStatus, graceSeconds: number | undefined, remove: boolean, pod?: Pod): Promise<void> {
    const running = runtime.containers.filter((c) => c.state === 'running' || c.state === 'created' || c.state === 'unknown');
    await Promise.all(running.map(async (c) => this.#stopContainer(c.id, graceSeconds ?? await this.#recordedGrace(c.id), pod, runtime)));
    for (const sandbox of runtime.sandboxes) {
      await ignoreNotFound(this.#o.cri.stopPodSandbox(sandbox.id));
      if (remove) await ignoreNotFound(this.#o.cri.removePodSandbox(sandbox.id));
    }
  }

  async #recordedGrace(containerId: string): Promise<number> {
    try {
      const status = await this.#o.cri.containerStatus(containerId);
      const recorded = Number(status.annotations[RuntimeKey.terminationGracePeriod]);
      return Number.isFinite(recorded) && recorded >= 0 ? recorded : DEFAULT_TERMINATION_GRACE_SECONDS;
    } catch {
      return DEFAULT_TERMINATION_GRACE_SECONDS;
    }
  }

  /** Stops container `id` (Killing event and preStop hook when `pod` is known). */
  async #stopContainer(id: string, graceSeconds: number, pod?: Pod, runtime?: RuntimePodStatus, message?: string): Promise<void> {
    const name = runtime?.containers.find((c) => c.id === id)?.name;
    const container = [...(pod?.spec?.initContainers ?? []), ...(pod?.spec?.containers ?? [])].find((c) => c.name === name);
    const podIP = runtime?.sandboxes.find((s) => s.state === 'ready')?.ips[0];
    await ignoreNotFound(this.#o.lifecycle.stop({
      ...(pod !== undefined ? { pod } : {}),
      ...(container !== undefined ? { container } : {}),
      containerId: id,
      graceSeconds,
      ...(podIP !== undefined ? { podIP } : {}),
      ...(message !== undefined ? { message } : {}),
    }));
  }

  /** The sandbox config of `pod`; records the DNS warnings (MissingClusterDNS, DNSConfigForming) when `recordWarnings`. */
  async #sandboxConfig(pod: Pod, attempt: number, recordWarnings: boolean, cgroupParent: string | undefined): Promise<PodSandboxConfig> {
    const dns = podDnsConfig(pod, { host: await this.#o.hostResolver(), clusterDNS: this.#o.clusterDNS, clusterDomain: this.#o.clusterDomain });
    if (recordWarnings) for (const warning of dns.warnings) this.#o.events.record(pod, 'Warning', warning.reason, warning.message);
    const config = podSandboxConfig(pod, attempt, this.#o.dataDir, dns.config, cgroupParent);
    return config.hostname === undefined ? config : { ...config, hostname: kernelHostname(pod, this.#o.clusterDomain) };
  }

  /** The pod's IPs in sandbox `ips`: a hostNetwork pod has the node's. */
  #podIPs(pod: Pod, ips: string[]): string[] {
    return pod.spec?.hostNetwork === true ? [...this.#o.hostIPs] : ips;
  }

  async #createSandbox(pod: Pod, attempt: number): Promise<SandboxInUse> {
    let config: PodSandboxConfig;
    try {
      config = await this.#sandboxConfig(pod, attempt, true, await this.#cgroups.ensurePod(pod));
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.#o.events.record(pod, 'Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: ${message}`);
      throw err;
    }
    await mkdir(podLogDirectory(this.#o.dataDir, pod), { recursive: true });
    const id = await this.#o.cri.runPodSandbox(config);
    const status = await this.#o.cri.podSandboxStatus(id);
    const ips = status.network !== null && status.network.ip !== '' ? [status.network.ip, ...status.network.additionalIps.map((a) => a.ip)] : [];
    return { id, config, ips: this.#podIPs(pod, ips) };
  }

  async #currentSandbox(pod: Pod, runtime: RuntimePodStatus): Promise<SandboxInUse> {
    const newest = runtime.sandboxes[0];
    if (newest === undefined) throw new Error(`pod ${pod.metadata?.uid ?? ''} has no sandbox to start containers in`);
    const config = await this.#sandboxConfig(pod, newest.attempt, false, await this.#cgroups.podCgroup(pod));
    return { id: newest.id, config, ips: this.#podIPs(pod, newest.ips) };
  }

  /** Sets up `pod`'s volumes; undefined when some failed (the pod waits in ContainerCreating). */
  async #setUpVolumes(pod: Pod): Promise<PodVolumes | undefined> {
    try {
      return await this.#o.volumes.setUp(pod);
    } catch (err) {
      await this.#reportMountFailures(pod, err);
      return undefined;
    }
  }

  /** Re-projects `pod`'s API-backed volumes so that source updates reach running containers. */
  async #refreshVolumes(pod: Pod): Promise<void> {
    try {
      await this.#o.volumes.refresh(pod);
    } catch (err) {
      await this.#reportMountFailures(pod, err);
    }
  }

  /** One FailedMount Warning event per volume of a VolumeMountError; rethrows anything else. */
  async #reportMountFailures(pod: Pod, err: unknown): Promise<void> {
    if (!(err instanceof VolumeMountError)) throw err;
    for (const failure of err.failures) this.#o.events.record(pod, 'Warning', FAILED_MOUNT_REASON, failure.eventMessage);
  }

  /** The container's volume mounts, then its managed /etc/hosts and its termination message file. */
  async #containerMounts(pod: Pod, container: Container, volumes: PodVolumes, sandbox: SandboxInUse, restartCount: number): Promise<Mount[]> {
    const podDir = podDirectory(this.#o.volumes, pod.metadata?.uid ?? '');
    await mkdir(podDir, { recursive: true });
    const mounts = await volumes.mounts(container);
    const hosts = managesEtcHosts(container) ? await writeEtcHosts(podDir, pod, { podIPs: sandbox.ips, clusterDomain: this.#o.clusterDomain }) : undefined;
    const message = await prepareTerminationMessage(podDir, container, restartCount);
    return [...mounts, ...(hosts !== undefined ? [hosts] : []), ...(message !== undefined ? [message] : [])];
  }

  #recordFailure(uid: string, name: string, failure: StartFailure | undefined): void {
    let map = this.#failures.get(uid);
    if (failure === undefined) {
      map?.delete(name);
      return;
    }
    if (map === undefined) this.#failures.set(uid, (map = new Map()));
    map.set(name, failure);
  }

  /** Starts one container; resolves to a retry delay when it could not start yet. */
  async #startContainer(pod: Pod, container: Container, sandbox: SandboxInUse, runtime: RuntimePodStatus, volumes: PodVolumes): Promise<number | undefined> {
    const uid = pod.metadata?.uid ?? '';
    const latest = latestContainer(runtime, container.name);
    const hash = containerSpecHash(container);
    const backOff = backOffBeforeStart(this.#crashBackOff, pod, container.name, latest?.state === 'exited' ? latest.finishedAt ?? latest.createdAt : undefined, hash);
    if (backOff.inBackOff) {
      this.#o.events.record(pod, 'Warning', 'BackOff', `Back-off restarting failed container ${container.name} in pod ${formatPod(pod)}`, container.name);
      this.#recordFailure(uid, container.name, { reason: backOff.reason, message: backOff.message });
      const key = backOffKey(pod, container.name, hash);
      const finishedAt = latest?.finishedAt ?? this.#o.clock.now();
      return Math.max(0, finishedAt + this.#crashBackOff.get(key) - this.#o.clock.now());
    }

    const image = await this.#o.puller.ensureImage(pod, container);
    if (!image.ok) {
      this.#recordFailure(uid, container.name, image.failure);
      return image.retryAfterMs ?? 10_000;
    }

    const restartCount = latest === undefined ? 0 : latest.restartCount + 1;
    let config;
    try {
      const resolver = await fetchEnvSources(this.#o.client, pod.metadata?.namespace ?? '', container);
      const { env } = containerEnvironment(pod, container, resolver, new Map(), { nodeName: this.#o.nodeName, hostIPs: [...this.#o.hostIPs], podIPs: sandbox.ips });
      const mounts = await this.#containerMounts(pod, container, volumes, sandbox, restartCount);
      config = containerConfig(pod, container, { restartCount, env, image: image.image, mounts, seccompProfileRoot: seccompProfileRoot(this.#o.dataDir) });
    } catch (err) {
      if (!(err instanceof EnvironmentError) && !(err instanceof ContainerConfigError) && !(err instanceof VolumeMountConfigError)) throw err;
      this.#recordFailure(uid, container.name, { reason: 'CreateContainerConfigError', message: err.message });
      this.#o.events.record(pod, 'Warning', 'Failed', `Error: ${err.message}`, container.name);
      return 10_000;
    }

    await mkdir(join(podLogDirectory(this.#o.dataDir, pod), container.name), { recursive: true });
    let id: string;
    try {
      id = await this.#o.cri.createContainer(sandbox.id, config, sandbox.config);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.#recordFailure(uid, container.name, { reason: 'CreateContainerError', message });
      this.#o.events.record(pod, 'Warning', 'Failed', `Error: ${message}`, container.name);
      return 10_000;
    }
    this.#o.events.record(pod, 'Normal', 'Created', `Created container ${container.name}`, container.name);
    try {
      await this.#o.cri.startContainer(id);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.#recordFailure(uid, container.name, { reason: 'RunContainerError', message });
      this.#o.events.record(pod, 'Warning', 'Failed', `Error: ${message}`, container.name);
      return 10_000;
    }
    this.#o.events.record(pod, 'Normal', 'Started', `Started container ${container.name}`, container.name);
    const hookFailure = await this.#o.lifecycle.postStart(pod, container, id, sandbox.ips[0]);
    if (hookFailure !== undefined) {
      this.#recordFailure(uid, container.name, { reason: 'PostStartHookError', message: hookFailure });
      return undefined;
    }
    this.#recordFailure(uid, container.name, undefined);
    return undefined;
  }
}

/** Names of containers whose running instance was created from a different spec. */
function changedContainers(pod: Pod, runtime: RuntimePodStatus): Set<string> {
  const changed = new Set<string>();
  for (const container of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
    const latest = latestContainer(runtime, container.name);
    if (latest?.state === 'running' && latest.specHash !== undefined && latest.specHash !== containerSpecHash(container)) changed.add(container.name);
  }
  return changed;
}

async function ignoreNotFound(call: Promise<void>): Promise<void> {
  try {
    await call;
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
  }
}
