/**
 * The raw CRI floor of the pod-startup benchmark: the benchmark pod started straight
 * through CRI (RunPodSandbox, CreateContainer, StartContainer) against a containerd
 * of its own with its own bridge and /24, one pod at a time (the floor), then as many
 * all at once (what a concurrent batch can approach on this machine); every pod is
 * torn down (timed) and containerd, bridge and temp dir are removed.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestContainerd } from '../../src/runtime/testing/testContainerd.js';
import type { Lifetimes } from './lifetimes.js';
import type { Progress } from './measure.js';
import { benchCriPod } from './podShape.js';
import { latencyStats } from './podResults.js';
import type { PodBenchSettings, RawCriRun } from './podResults.js';

/** The raw containerd's pod network: apart from test clusters (198.18.100–249) and the podman peer (198.18.250). */
const RAW_NETWORK = { bridge: 'k8tsbenchcri0', podCidr: '198.18.251.0/24' };

const since = (started: number): number => performance.now() - started;

/** Starts `settings.pods` pods one after another through CRI and tears them down; returns the timings. */
export async function measureRawCri(settings: PodBenchSettings, lifetimes: Lifetimes, progress: Progress): Promise<RawCriRun> {
  progress('raw CRI: starting containerd');
  const containerd = await startTestContainerd(RAW_NETWORK);
  const stopContainerd = lifetimes.add('raw containerd', () => containerd.stop());
  const { cri } = containerd;
  const logs = await mkdtemp(join(tmpdir(), 'k8ts-bench-logs-'));
  const startPod = async (name: string): Promise<{ sandboxId: string; run: number; create: number; start: number }> => {
    const { sandbox, container } = benchCriPod(name, join(logs, name));
    let at = performance.now();
    const sandboxId = await cri.runPodSandbox(sandbox);
    const run = since(at);
    at = performance.now();
    const containerId = await cri.createContainer(sandboxId, container, sandbox);
    const create = since(at);
    at = performance.now();
    await cri.startContainer(containerId);
    return { sandboxId, run, create, start: since(at) };
  };
  await startPod('warmup');
  progress(`raw CRI: ${settings.pods} pods, sequential`);
  const pods = [];
  for (let i = 0; i < settings.pods; i++) pods.push(await startPod(`raw-${i}`));
  const teardown: number[] = [];
  const tearDown = async (sandboxIds: readonly string[]): Promise<void> => {
    for (const sandboxId of sandboxIds) {
      const at = performance.now();
      await cri.stopPodSandbox(sandboxId);
      await cri.removePodSandbox(sandboxId);
      teardown.push(since(at));
    }
  };
  await tearDown(pods.map((p) => p.sandboxId));
  progress(`raw CRI: ${settings.pods} pods, concurrent`);
  const began = performance.now();
  const concurrent = await Promise.all(
    Array.from({ length: settings.pods }, async (_, i) => {
      const at = performance.now();
      const { sandboxId } = await startPod(`raw-concurrent-${i}`);
      return { sandboxId, ms: since(at) };
    }),
  );
  const concurrentWallSeconds = since(began) / 1000;
  await tearDown(concurrent.map((p) => p.sandboxId));
  await stopContainerd();
  return {
    total: latencyStats(pods.map((p) => p.run + p.create + p.start)),
    runPodSandbox: latencyStats(pods.map((p) => p.run)),
    createContainer: latencyStats(pods.map((p) => p.create)),
    startContainer: latencyStats(pods.map((p) => p.start)),
    teardown: latencyStats(teardown),
    concurrent: latencyStats(concurrent.map((p) => p.ms)),
    concurrentWallSeconds,
  };
}
