/**
 * The benchmark's two kinds of phase: raw etcd writes through etcd3 against a fresh
 * etcd, and a fresh `k8ts server` (SQLite, or a fresh etcd) taking creates and LISTs.
 * Every process and temp dir a phase starts is registered with `lifetimes` and
 * stopped before the phase returns.
 */
import { readKubeconfig } from '../../src/cli/kubeconfig.js';
import { startCluster } from '../../test/support/cluster.js';
import { startEtcd } from '../../test/support/etcd.js';
import { benchConfigMap, createNamespace, nodeHttpsPool, restClient, restClientPool, timeList } from './apiClients.js';
import type { ClientKind, ClientPool, ListTiming } from './apiClients.js';
import type { Lifetimes } from './lifetimes.js';
import { runLoad } from './load.js';
import type { LoadResult } from './load.js';
import { cpuMsOf, memoryOf, pidWithArgs } from './procfs.js';
import { connectRawEtcd } from './rawEtcd.js';
import type { RawWrite } from './rawEtcd.js';
import type { Backend, BackendRun, BenchSettings, CpuPerOperation, ListRuns, MeasuredLoad, RawEtcdRun } from './results.js';

/** Receives one line of progress. */
export type Progress = (line: string) => void;

const CREATE_NAMESPACE = 'bench-create';
const LIST_NAMESPACE = 'bench-list';

/** Pids of the server processes whose CPU time a load run is charged with. */
type ChargedProcesses = Partial<Record<'k8ts' | 'etcd', number>>;

/** Runs `run` and adds the CPU time per operation of the benchmark process and of `charged`. */
async function withCpu(charged: ChargedProcesses, run: () => Promise<LoadResult>): Promise<MeasuredLoad> {
  const servers = Object.entries(charged) as [keyof ChargedProcesses, number][];
  const before = await Promise.all(servers.map(([, pid]) => cpuMsOf(pid)));
  const benchBefore = process.cpuUsage();
  const result = await run();
  const bench = process.cpuUsage(benchBefore);
  const after = await Promise.all(servers.map(([, pid]) => cpuMsOf(pid)));
  const cpu: CpuPerOperation = { bench: (bench.user + bench.system) / 1000 / result.operations };
  servers.forEach(([name], i) => (cpu[name] = ((after[i] ?? 0) - (before[i] ?? 0)) / result.operations));
  return { ...result, cpuMsPerOperation: cpu };
}

/** Raw etcd puts and create-if-absent transactions at every level, against a fresh etcd. */
export async function measureRawEtcd(settings: BenchSettings, lifetimes: Lifetimes, progress: Progress): Promise<RawEtcdRun> {
  const etcd = await startEtcd();
  const stopEtcd = lifetimes.add('etcd (raw reference)', () => etcd.stop());
  const charged = { etcd: await pidWithArgs(['--data-dir', etcd.dataDir]) };
  const client = await connectRawEtcd(etcd.endpoint);
  const closeClient = lifetimes.add('etcd3 client', async () => client.close());
  const value = Buffer.from(JSON.stringify(benchConfigMap('raw-etcd-value')));
  const writes = async (kind: RawWrite, prefix: string, total: number, concurrency: number): Promise<LoadResult> =>
    runLoad(total, concurrency, (i) => client.write(kind, `/bench/${prefix}/${i}`, value));
  await writes('put', 'warmup', settings.warmupOperations, settings.targetConcurrency);
  const run: RawEtcdRun = { put: [], txnCreate: [] };
  for (const [kind, results] of [['put', run.put], ['txn-create', run.txnCreate]] as const) {
    for (const level of settings.concurrencyLevels) {
      progress(`raw etcd ${kind}, ${level} clients`);
      results.push(await withCpu(charged, () => writes(kind, `${kind}-c${level}`, settings.operationsPerLevel, level)));
    }
  }
  await closeClient();
  await stopEtcd();
  return run;
}

/** Creates, LISTs and memory of a fresh `k8ts server` on `backend`. */
export async function measureK8ts(backend: Backend, settings: BenchSettings, lifetimes: Lifetimes, progress: Progress): Promise<BackendRun> {
  const flags: string[] = [];
  const charged: ChargedProcesses = {};
  let stopEtcd: (() => Promise<void>) | undefined;
  if (backend === 'etcd') {
    const etcd = await startEtcd();
    stopEtcd = lifetimes.add('etcd (k8ts datastore)', () => etcd.stop());
    charged.etcd = await pidWithArgs(['--data-dir', etcd.dataDir]);
    flags.push('--datastore-endpoint', etcd.endpoint);
  }
  progress(`k8ts on ${backend}: starting server`);
  const cluster = await startCluster(flags);
  const stopCluster = lifetimes.add(`k8ts server on ${backend}`, () => cluster.stop());
  const pid = await pidWithArgs(['server', '--data-dir', cluster.dataDir]);
  charged.k8ts = pid;
  await new Promise((resolve) => setTimeout(resolve, settings.idleSeconds * 1000));
  const idle = await memoryOf(pid);

  const credentials = await readKubeconfig(cluster.kubeconfig);
  const admin = restClient(credentials);
  const closeAdmin = lifetimes.add('admin client', async () => admin.transport.close?.());
  await createNamespace(admin, CREATE_NAMESPACE);
  await createNamespace(admin, LIST_NAMESPACE);

  const creates = async (kind: ClientKind, namespace: string, prefix: string, total: number, concurrency: number): Promise<MeasuredLoad> => {
    const pool: ClientPool = await (kind === 'RestClient' ? restClientPool : nodeHttpsPool)(credentials, concurrency, namespace);
    try {
      return await withCpu(charged, () => runLoad(total, concurrency, (i, worker) => pool.create(worker, namespace, `${prefix}-${i}`)));
    } finally {
      pool.close();
    }
  };
  await creates('RestClient', CREATE_NAMESPACE, 'warmup', settings.warmupOperations, settings.targetConcurrency);
  const createResults: MeasuredLoad[] = [];
  for (const level of settings.concurrencyLevels) {
    progress(`k8ts on ${backend}: creates, ${level} clients (RestClient)`);
    createResults.push(await creates('RestClient', CREATE_NAMESPACE, `rc-c${level}`, settings.operationsPerLevel, level));
  }
  progress(`k8ts on ${backend}: creates, ${settings.targetConcurrency} clients (node:https)`);
  const createsNodeHttps = await creates('node:https', CREATE_NAMESPACE, 'https', settings.operationsPerLevel, settings.targetConcurrency);

  progress(`k8ts on ${backend}: filling ${settings.listSize} ConfigMaps to list`);
  const listFill = await creates('RestClient', LIST_NAMESPACE, 'listed', settings.listSize, settings.targetConcurrency);
  progress(`k8ts on ${backend}: LIST`);
  // Paged first: a failing full LIST can disturb the server's datastore client for a while.
  const paged = await repeatList(settings.listRepeats, settings.listSize, () => timeList(admin, LIST_NAMESPACE, settings.listPageSize));
  const full = await repeatList(settings.listRepeats, settings.listSize, () => timeList(admin, LIST_NAMESPACE));
  const afterRun = await memoryOf(pid);

  await closeAdmin();
  await stopCluster();
  await stopEtcd?.();
  return { backend, memory: { idle, afterRun }, creates: createResults, createsNodeHttps, listFill, list: { full, paged } };
}

/**
 * Times `list` `repeats` times, each expected to return `expected` items. A failure
 * (an error, or a wrong count) ends the repeats and is recorded instead of thrown:
 * a LIST the server cannot answer is a result of the benchmark.
 */
async function repeatList(repeats: number, expected: number, list: () => Promise<ListTiming>): Promise<ListRuns> {
  const runs: ListRuns = { timings: [] };
  for (let i = 0; i < repeats; i++) {
    try {
      const timing = await list();
      if (timing.items !== expected) throw new Error(`LIST returned ${timing.items} ConfigMaps, expected ${expected}`);
      runs.timings.push(timing);
    } catch (err) {
      runs.error = err instanceof Error ? err.message : String(err);
      break;
    }
  }
  return runs;
}
