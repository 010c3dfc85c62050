/**
 * The runtime as the kubelet's pod logic sees it: CRI sandboxes and containers mapped
 * into `pod/runtimeTypes`, grouped by the pod uid label the kubelet put on them.
 */
import type { CriClient } from '../runtime/cri/client.js';
import { NotFoundError } from '../runtime/cri/errors.js';
import type { Container, ContainerState, ContainerStatus, PodSandbox } from '../runtime/cri/types.js';
import type { RuntimeContainer, RuntimeContainerState, RuntimePodStatus, RuntimeSandbox } from './pod/runtimeTypes.js';
import { RuntimeKey } from './runtimeLabels.js';

/** The runtime name in container IDs (`containerd://…`). */
export const RUNTIME_NAME = 'containerd';

const STATES: Readonly<Record<ContainerState, RuntimeContainerState>> = {
  CONTAINER_CREATED: 'created',
  CONTAINER_RUNNING: 'running',
  CONTAINER_EXITED: 'exited',
  CONTAINER_UNKNOWN: 'unknown',
};

/** CRI nanosecond timestamps (decimal strings) to ms; 0 or absent → undefined. */
function nanosToMs(nanos: string | number | undefined): number | undefined {
  if (nanos === undefined) return undefined;
  const ms = Number(BigInt(nanos) / 1_000_000n);
  return ms > 0 ? ms : undefined;
}

/** One container instance from its CRI status. */
export function runtimeContainerOf(status: ContainerStatus): RuntimeContainer {
  const state = STATES[status.state];
  const container: RuntimeContainer = {
    id: status.id,
    name: status.labels[RuntimeKey.containerName] ?? status.metadata?.name ?? '',
    state,
    createdAt: nanosToMs(status.createdAt) ?? 0,
    restartCount: Number(status.annotations[RuntimeKey.restartCount] ?? status.metadata?.attempt ?? 0),
    image: status.image?.image ?? '',
    imageRef: status.imageRef,
  };
  const startedAt = nanosToMs(status.startedAt);
  if (startedAt !== undefined) container.startedAt = startedAt;
  if (state === 'exited') {
    container.exitCode = status.exitCode;
    const finishedAt = nanosToMs(status.finishedAt);
    if (finishedAt !== undefined) container.finishedAt = finishedAt;
    if (status.reason !== '' && status.reason !== 'Completed' && status.reason !== 'Error') container.reason = status.reason;
    if (status.message !== '') container.message = status.message;
  }
  if (status.logPath !== '') container.logPath = status.logPath;
  const hash = status.annotations[RuntimeKey.containerHash];
  if (hash !== undefined) container.specHash = hash;
  return container;
}

/** The pod uid a sandbox or container was labelled with (undefined: not the kubelet's). */
export function podUidOf(object: Pick<PodSandbox | Container, 'labels'>): string | undefined {
  return object.labels[RuntimeKey.podUid];
}

/** One pod's sandboxes and containers as a PLEG fingerprint (ids and states, sorted). */
function fingerprintOf(sandboxes: readonly PodSandbox[], containers: readonly Container[]): string {
  return [...sandboxes.map((s) => `s:${s.id}:${s.state}`), ...containers.map((c) => `c:${c.id}:${c.state}`)].sort().join(',');
}

interface CachedPodStatus {
  status: RuntimePodStatus;
  fingerprint: string;
}

/**
 * Reads CRI state. Exited containers' statuses never change, so they are cached; a
 * pod's whole status is cached too and served while the PLEG's latest relist still
 * shows the same sandboxes and containers in the same states (upstream's pod cache),
 * so periodic resyncs of idle pods cost no runtime calls. Whoever changes a pod's
 * containers calls `invalidate` before reading its status again.
 */
export class RuntimeView {
  readonly #cri: CriClient;
  readonly #exited = new Map<string, RuntimeContainer>();
  readonly #pods = new Map<string, CachedPodStatus>();
  #relisted = new Map<string, string>();
  readonly #terminationMessage: ((status: ContainerStatus) => Promise<string>) | undefined;

  /** `terminationMessage` reads an exited container's message (appended to the runtime's own after `: `). */
  constructor(cri: CriClient, terminationMessage?: (status: ContainerStatus) => Promise<string>) {
    this.#cri = cri;
    this.#terminationMessage = terminationMessage;
  }

  /**
   * Everything the runtime has for the pod with `uid` (sandboxes newest first): the
   * cached status while the latest relist agrees with it, else read from the runtime.
   */
  async podStatus(uid: string): Promise<RuntimePodStatus> {
    const cached = this.#pods.get(uid);
    if (cached !== undefined && cached.fingerprint === (this.#relisted.get(uid) ?? '')) return cached.status;
    const filter = { labelSelector: { [RuntimeKey.podUid]: uid } };
    const [sandboxes, containers] = await Promise.all([this.#cri.listPodSandbox(filter), this.#cri.listContainers(filter)]);
    const runtimeSandboxes = await Promise.all(sandboxes.map((s) => this.#sandbox(s)));
    runtimeSandboxes.sort((a, b) => b.createdAt - a.createdAt);
    const runtimeContainers = (await Promise.all(containers.map((c) => this.#container(c)))).filter((c): c is RuntimeContainer => c !== undefined);
    const status: RuntimePodStatus = { runtimeName: RUNTIME_NAME, sandboxes: runtimeSandboxes, containers: runtimeContainers };
    this.#pods.set(uid, { status, fingerprint: fingerprintOf(sandboxes, containers) });
    return status;
  }

  /** Drops pod `uid`'s cached status: the caller changed its sandboxes or containers. */
  invalidate(uid: string): void {
    this.#pods.delete(uid);
  }

  /**
   * A cheap fingerprint of every labelled pod's sandboxes and containers (ids and
   * states), by pod uid: the PLEG compares these between relists, and cached pod
   * statuses stay valid while theirs matches the latest one.
   */
  async fingerprints(): Promise<Map<string, string>> {
    const [sandboxes, containers] = await Promise.all([this.#cri.listPodSandbox(), this.#cri.listContainers()]);
    const byPod = new Map<string, { sandboxes: PodSandbox[]; containers: Container[] }>();
    const entryOf = (uid: string): { sandboxes: PodSandbox[]; containers: Container[] } => {
      let entry = byPod.get(uid);
      if (entry === undefined) byPod.set(uid, (entry = { sandboxes: [], containers: [] }));
      return entry;
    };
    for (const s of sandboxes) {
      const uid = podUidOf(s);
      if (uid !== undefined) entryOf(uid).sandboxes.push(s);
    }
    for (const c of containers) {
      const uid = podUidOf(c);
      if (uid !== undefined) entryOf(uid).containers.push(c);
    }
    const result = new Map<string, string>();
    for (const [uid, entry] of byPod) result.set(uid, fingerprintOf(entry.sandboxes, entry.containers));
    this.#relisted = result;
    for (const uid of this.#pods.keys()) if (!result.has(uid)) this.#pods.delete(uid);
    this.#forgetRemoved(new Set(containers.map((c) => c.id)));
    return result;
  }

  async #sandbox(sandbox: PodSandbox): Promise<RuntimeSandbox> {
    let ips: string[] = [];
    if (sandbox.state === 'SANDBOX_READY') {
      try {
        const status = await this.#cri.podSandboxStatus(sandbox.id);
        if (status.network !== null && status.network.ip !== '') ips = [status.network.ip, ...status.network.additionalIps.map((a) => a.ip)];
      } catch (err) {
        if (!(err instanceof NotFoundError)) throw err;
      }
    }
    return {
      id: sandbox.id,
      state: sandbox.state === 'SANDBOX_READY' ? 'ready' : 'notready',
      attempt: sandbox.metadata?.attempt ?? 0,
      createdAt: nanosToMs(sandbox.createdAt) ?? 0,
      ips,
    };
  }

  async #container(container: Container): Promise<RuntimeContainer | undefined> {
    const cached = this.#exited.get(container.id);
    if (cached !== undefined) return cached;
    try {
      const status = await this.#cri.containerStatus(container.id);
      const converted = runtimeContainerOf(status);
      if (converted.state === 'exited') {
        const message = this.#terminationMessage === undefined ? '' : await this.#terminationMessage(status);
        if (message !== '') converted.message = converted.message !== undefined ? `${converted.message}: ${message}` : message;
        this.#exited.set(container.id, converted);
      }
      return converted;
    } catch (err) {
      if (err instanceof NotFoundError) return undefined;
      throw err;
    }
  }

  #forgetRemoved(present: ReadonlySet<string>): void {
    for (const id of this.#exited.keys()) if (!present.has(id)) this.#exited.delete(id);
  }
}
