/**
 * The measurement of bench/scheduler: a fresh `k8ts server --disable kubelet,controllers` gets N
 * fake nodes (Node objects with allocatable cpu 4, memory 32Gi, 110 pods, Ready, in ten
 * zones, and their Leases, as upstream scheduler_perf's node template), then M pods (cpu
 * 100m, memory 500Mi requests) created at once by a pool of concurrent creators; a watch
 * counts bindings. Throughput is M over the time from the first create to the last
 * binding seen; the create phase alone is timed too. The server's CPU over the run
 * comes from /proc. The server is registered with `lifetimes`.
 *
 * Variants of the pods: `basic` (upstream SchedulingBasic), `anti-affinity` (two groups,
 * each with required pod anti-affinity on the host name within its group, so every node
 * takes at most one pod of each), `topology-spread` (one group spread over the zones
 * with maxSkew 1, DoNotSchedule).
 */
import { readKubeconfig } from '../../src/cli/kubeconfig.js';
import type { KubeObject } from '../../src/api/object.js';
import { readBody, type ResourceTarget, type RestClient } from '../../src/client/index.js';
import { startCluster } from '../../test/support/cluster.js';
import { createNamespace, restClient } from './apiClients.js';
import type { Lifetimes } from './lifetimes.js';
import type { Progress } from './measure.js';
import { cpuMsOf, pidWithArgs } from './procfs.js';

const NODES: ResourceTarget = { group: '', version: 'v1', resource: 'nodes' };
const LEASES: ResourceTarget = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases', namespace: 'kube-node-lease' };
const SERVICE_ACCOUNTS = (namespace: string): ResourceTarget => ({ group: '', version: 'v1', resource: 'serviceaccounts', namespace });
const podsIn = (namespace: string): ResourceTarget => ({ group: '', version: 'v1', resource: 'pods', namespace });

/** What the measured pods ask of the scheduler besides resources. */
export type PodVariant = 'basic' | 'anti-affinity' | 'topology-spread';

const ZONES = 10;

/** One (nodes, pods) case and what was measured. */
export interface ThroughputRun {
  variant: PodVariant;
  nodes: number;
  pods: number;
  /** Pods per second from the first create to the last binding. */
  podsPerSecond: number;
  /** Seconds from the first create to the last binding. */
  seconds: number;
  /** Seconds the creates alone took (all M created). */
  createSeconds: number;
  /** Server CPU over the run, in % of one core. */
  serverCpuPercent: number;
  /** scheduler_schedule_attempts_total by result at the end (unschedulable or error attempts mean retries). */
  attempts: Record<string, number>;
}

/** scheduler_schedule_attempts_total by result, read from the server's /metrics. */
async function schedulingAttempts(client: RestClient): Promise<Record<string, number>> {
  const res = await client.transport.request({ method: 'GET', path: '/metrics' });
  const text = (await readBody(res.body)).toString();
  const attempts: Record<string, number> = {};
  for (const match of text.matchAll(/^scheduler_schedule_attempts_total\{result="(\w+)",profile="[^"]*"\} (\d+)$/gm)) attempts[match[1] ?? ''] = Number(match[2]);
  return attempts;
}

const microTime = (): string => new Date().toISOString().replace('Z', '000Z');

function fakeNode(name: string, zone: number): KubeObject {
  const resources = { cpu: '4', memory: '32Gi', pods: '110' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'topology.kubernetes.io/zone': `zone-${zone}` } },
    status: { capacity: resources, allocatable: resources, conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', lastHeartbeatTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') }] },
  };
}

function lease(name: string): KubeObject {
  return { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name }, spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: microTime() } };
}

function benchPod(name: string, index: number, variant: PodVariant): KubeObject {
  const labels = { app: 'sched-bench', group: `g${index % 2}` };
  const spec: Record<string, unknown> = {
    containers: [{ name: 'pause', image: 'pause', resources: { requests: { cpu: '100m', memory: '500Mi' }, limits: { cpu: '100m', memory: '500Mi' } } }],
  };
  if (variant === 'anti-affinity') {
    const term = { labelSelector: { matchLabels: { group: labels.group } }, topologyKey: 'kubernetes.io/hostname' };
    spec['affinity'] = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term] } };
  } else if (variant === 'topology-spread') {
    spec['topologySpreadConstraints'] = [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'sched-bench' } } }];
  }
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels }, spec };
}

/** Runs `operation(i)` for i in [0, total) with `concurrency` in flight. */
async function inParallel(total: number, concurrency: number, operation: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < total) await operation(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
}

/** Creates the fake nodes (status written with the node, then again through the status subresource) and their Leases. */
async function createNodes(client: RestClient, count: number): Promise<void> {
  await inParallel(count, 32, async (i) => {
    const node = fakeNode(`fake-node-${i}`, i % ZONES);
    await client.create(NODES, node);
    await client.patch(NODES, node.metadata.name ?? '', 'merge', { status: node.status }, { subresource: 'status' });
    await client.create(LEASES, lease(`fake-node-${i}`));
  });
}

/** Resolves with the time (performance.now) the `count`-th pod of `namespace` was seen bound. */
async function watchBindings(client: RestClient, namespace: string, count: number, signal: AbortSignal): Promise<() => Promise<number>> {
  const events = await client.watch(podsIn(namespace), { signal });
  const bound = new Set<string>();
  const done = (async () => {
    for await (const event of events) {
      const obj = event.object as KubeObject & { spec?: { nodeName?: string } };
      if (event.type !== 'BOOKMARK' && obj.spec?.nodeName) bound.add(obj.metadata.name ?? '');
      if (bound.size >= count) return performance.now();
    }
    throw new Error(`watch ended with ${bound.size}/${count} pods bound`);
  })();
  // A watch failure surfaces when the caller awaits it, never as an unhandled rejection that skips cleanup.
  done.catch(() => undefined);
  return () => done;
}

/** Measures one (nodes, pods) case on a fresh server. */
export async function measureThroughput(nodes: number, pods: number, variant: PodVariant, lifetimes: Lifetimes, progress: Progress): Promise<ThroughputRun> {
  progress(`${variant} (${nodes}, ${pods}): starting k8ts server --disable kubelet,controllers`);
  // Like upstream scheduler_perf: API server and scheduler only. The fake nodes never renew
  // their Leases, so a node lifecycle controller would taint them unreachable after 40 s.
  const cluster = await startCluster(['--disable', 'kubelet', '--disable', 'controllers']);
  const stopCluster = lifetimes.add('k8ts server', () => cluster.stop());
  const client = restClient(await readKubeconfig(cluster.kubeconfig));
  const closeClient = lifetimes.add('k8ts client', async () => client.transport.close?.());
  const pid = await pidWithArgs(['server', '--data-dir', cluster.dataDir]);
  progress(`${variant} (${nodes}, ${pods}): creating ${nodes} nodes and leases`);
  await createNodes(client, nodes);
  const namespace = 'sched-bench';
  await createNamespace(client, namespace);
  // No controller manager makes the namespace's default ServiceAccount, which pod admission needs.
  await client.create(SERVICE_ACCOUNTS(namespace), { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } });
  const abort = new AbortController();
  const lastBinding = await watchBindings(client, namespace, pods, abort.signal);
  progress(`${variant} (${nodes}, ${pods}): creating ${pods} pods at once`);
  const cpuBefore = await cpuMsOf(pid);
  const began = performance.now();
  await inParallel(pods, 64, async (i) => {
    await client.create(podsIn(namespace), benchPod(`pod-${i}`, i, variant));
  });
  const createSeconds = (performance.now() - began) / 1000;
  progress(`${variant} (${nodes}, ${pods}): created in ${createSeconds.toFixed(1)} s; waiting for the last binding`);
  const timeout = new Promise<never>((_, fail) => setTimeout(() => fail(new Error(`not every pod was bound within 10 min\n${cluster.output().slice(-2000)}`)), 600_000).unref());
  const ended = await Promise.race([lastBinding(), timeout]);
  const seconds = (ended - began) / 1000;
  const serverCpuPercent = (((await cpuMsOf(pid)) - cpuBefore) / (performance.now() - began)) * 100;
  const attempts = await schedulingAttempts(client);
  abort.abort();
  await closeClient();
  await stopCluster();
  progress(`${variant} (${nodes}, ${pods}): ${(pods / seconds).toFixed(0)} pods/s; attempts ${JSON.stringify(attempts)}`);
  return { variant, nodes, pods, podsPerSecond: pods / seconds, seconds, createSeconds, serverCpuPercent, attempts };
}
