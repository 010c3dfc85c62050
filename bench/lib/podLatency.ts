/**
 * The k8ts phase of the pod-startup benchmark: a fresh `k8ts server` runs batches of
 * benchmark pods (one at a time, then all at once), each timed from the create call
 * to the watch event showing phase Running, and from the pod's own timestamps; the
 * server's CPU is sampled while the last batch idles; every pod is deleted and
 * awaited until gone. The server and its data dir are registered with `lifetimes`.
 */
import { readKubeconfig } from '../../src/cli/kubeconfig.js';
import type { RestClient, ResourceTarget } from '../../src/client/index.js';
import type { WatchEvent } from '../../src/client/watch.js';
import { startCluster } from '../../test/support/cluster.js';
import { createNamespace, restClient } from './apiClients.js';
import type { Lifetimes } from './lifetimes.js';
import type { Progress } from './measure.js';
import { benchPod } from './podShape.js';
import type { PodObject as Pod } from './podShape.js';
import { latencyStats } from './podResults.js';
import type { K8tsBatch, K8tsRun, PodBenchSettings } from './podResults.js';
import { cpuMsOf, pidWithArgs } from './procfs.js';

const NODES: ResourceTarget = { group: '', version: 'v1', resource: 'nodes' };
const podsIn = (namespace: string): ResourceTarget => ({ group: '', version: 'v1', resource: 'pods', namespace });

/**
 * Follows every pod of a namespace through one watch: resolves waiters when a pod
 * first reports phase Running, or when it is gone.
 */
class PodTracker {
  readonly #running = new Map<string, Pod>();
  readonly #gone = new Set<string>();
  readonly #waiters = new Set<() => void>();
  readonly #abort = new AbortController();
  #failure: Error | undefined;

  static async open(client: RestClient, namespace: string): Promise<PodTracker> {
    const tracker = new PodTracker();
    const events = await client.watch<Pod>(podsIn(namespace), { signal: tracker.#abort.signal });
    void tracker.#follow(events);
    return tracker;
  }

  async #follow(events: AsyncGenerator<WatchEvent<Pod>>): Promise<void> {
    try {
      for await (const event of events) {
        if (event.type === 'ERROR') throw new Error(`pod watch failed: ${event.object.message ?? ''}`);
        if (event.type === 'BOOKMARK') continue;
        const name = event.object.metadata?.name ?? '';
        if (event.type === 'DELETED') this.#gone.add(name);
        else if (event.object.status?.phase === 'Running' && !this.#running.has(name)) this.#running.set(name, event.object);
        this.#notify();
      }
      if (!this.#abort.signal.aborted) throw new Error('pod watch ended early');
    } catch (err) {
      this.#failure = err instanceof Error ? err : new Error(String(err));
      this.#notify();
    }
  }

  #notify(): void {
    for (const waiter of this.#waiters) waiter();
  }

  /** Resolves once `done()` holds (checked after every event); rejects after `timeoutMs` or when the watch fails. */
  async #until<T>(what: string, timeoutMs: number, done: () => T | undefined): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check = (): void => {
        const value = this.#failure === undefined ? done() : undefined;
        if (this.#failure !== undefined) finish(() => reject(this.#failure));
        else if (value !== undefined) finish(() => resolve(value));
      };
      const timer = setTimeout(() => finish(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`))), timeoutMs);
      const finish = (settle: () => void): void => {
        clearTimeout(timer);
        this.#waiters.delete(check);
        settle();
      };
      this.#waiters.add(check);
      check();
    });
  }

  /** The pod as the watch first saw it Running. */
  running(name: string, timeoutMs: number): Promise<Pod> {
    return this.#until(`pod ${name} Running`, timeoutMs, () => this.#running.get(name));
  }

  /** Resolves when every pod in `names` was deleted. */
  gone(names: readonly string[], timeoutMs: number): Promise<true> {
    return this.#until(`${names.length} pods gone`, timeoutMs, () => (names.every((n) => this.#gone.has(n)) ? true : undefined));
  }

  close(): void {
    this.#abort.abort();
  }
}

/** creationTimestamp → first container's running.startedAt, ms (both whole seconds). */
function podTimestampLatency(pod: Pod): number {
  const created = Date.parse(pod.metadata?.creationTimestamp ?? '');
  const started = Date.parse(pod.status?.containerStatuses?.[0]?.state?.running?.startedAt ?? '');
  if (!Number.isFinite(created) || !Number.isFinite(started)) throw new Error(`pod ${pod.metadata?.name ?? ''} lacks creationTimestamp or startedAt`);
  return started - created;
}

/** Runs one batch in a fresh namespace and deletes it again. */
async function runBatch(
  client: RestClient,
  node: string,
  kind: K8tsBatch['kind'],
  namespace: string,
  settings: PodBenchSettings,
  whileRunning: () => Promise<void>,
): Promise<K8tsBatch> {
  await createNamespace(client, namespace);
  const tracker = await PodTracker.open(client, namespace);
  try {
    const names = Array.from({ length: settings.pods }, (_, i) => `${kind}-${i}`);
    const timeoutMs = settings.podTimeoutSeconds * 1000;
    const clientMs: number[] = [];
    const pods: Pod[] = [];
    const startOne = async (name: string): Promise<void> => {
      const sent = performance.now();
      await client.create(podsIn(namespace), benchPod(name, node));
      const pod = await tracker.running(name, timeoutMs);
      clientMs.push(performance.now() - sent);
      pods.push(pod);
    };
    const began = performance.now();
    if (kind === 'sequential') for (const name of names) await startOne(name);
    else await Promise.all(names.map(startOne));
    const wallSeconds = (performance.now() - began) / 1000;
    await whileRunning();
    const deleting = performance.now();
    await Promise.all(names.map((name) => client.delete(podsIn(namespace), name)));
    await tracker.gone(names, timeoutMs);
    const deleteSeconds = (performance.now() - deleting) / 1000;
    return { kind, client: latencyStats(clientMs), podTimestamps: latencyStats(pods.map(podTimestampLatency)), wallSeconds, deleteSeconds };
  } finally {
    tracker.close();
  }
}

/** The name of the server's own node, once it has registered (bounded wait). */
async function nodeName(client: RestClient): Promise<string> {
  for (let attempt = 0; attempt < 300; attempt++) {
    const name = (await client.list(NODES)).items[0]?.metadata?.name;
    if (name !== undefined) return name;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the k8ts node did not register within 30 s');
}

/** Starts a k8ts server, runs the sequential and the concurrent batch, samples idle CPU during the latter, stops the server. */
export async function measureK8tsPods(settings: PodBenchSettings, lifetimes: Lifetimes, progress: Progress): Promise<K8tsRun> {
  progress('k8ts: starting server');
  const cluster = await startCluster();
  const stopCluster = lifetimes.add('k8ts server', () => cluster.stop());
  const pid = await pidWithArgs(['server', '--data-dir', cluster.dataDir]);
  const client = restClient(await readKubeconfig(cluster.kubeconfig));
  const closeClient = lifetimes.add('k8ts client', async () => client.transport.close?.());
  const node = await nodeName(client);
  const cpuPercentOver = async (seconds: number): Promise<number> => {
    const before = await cpuMsOf(pid);
    const t0 = performance.now();
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    return (((await cpuMsOf(pid)) - before) / (performance.now() - t0)) * 100;
  };
  progress(`k8ts: server CPU over ${settings.idleCpuSeconds} s with no pods`);
  const noPodsCpuPercent = await cpuPercentOver(settings.idleCpuSeconds);
  // One unmeasured pod first: the first pod pays for image and network setup once.
  progress('k8ts: one warm-up pod');
  await runBatch(client, node, 'sequential', 'pods-warmup', { ...settings, pods: 1 }, async () => undefined).catch((err: unknown) => {
    throw new Error(`warm-up pod failed: ${String(err)}\n${cluster.output().slice(-3000)}`);
  });
  const batches: K8tsBatch[] = [];
  let idleCpuPercent = Number.NaN;
  for (const kind of ['sequential', 'concurrent'] as const) {
    progress(`k8ts: ${settings.pods} pods, ${kind}`);
    batches.push(
      await runBatch(client, node, kind, `pods-${kind}`, settings, async () => {
        if (kind !== 'concurrent') return;
        progress(`k8ts: server CPU over ${settings.idleCpuSeconds} s with ${settings.pods} pods idle`);
        idleCpuPercent = await cpuPercentOver(settings.idleCpuSeconds);
      }).catch((err: unknown) => {
        throw new Error(`${kind} batch failed: ${String(err)}\n${cluster.output().slice(-3000)}`);
      }),
    );
  }
  await closeClient();
  await stopCluster();
  return { batches, idleCpuPercent, noPodsCpuPercent, idleCpuSeconds: settings.idleCpuSeconds };
}
