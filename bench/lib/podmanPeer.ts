/**
 * The peer of the pod-startup benchmark: `podman kube play` of the benchmark pod,
 * one run after another, rootful, with a private configuration in a temp dir
 * (containers.conf, storage.conf, registries.conf, CNI config dir; env
 * CONTAINERS_CONF / CONTAINERS_STORAGE_CONF / CONTAINERS_REGISTRIES_CONF) and a
 * network on 198.18.250.0/24 the benchmark creates: podman's defaults (10.88) are
 * never used and nothing is pulled — busybox is loaded from the k8ts busybox OCI
 * archive. Pods, network, bridge and storage are removed afterwards.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BUSYBOX_IMAGE, busyboxImage } from '../../src/runtime/images/baseImages.js';
import type { Lifetimes } from './lifetimes.js';
import type { Progress } from './measure.js';
import { benchPodYaml } from './podShape.js';
import { latencyStats } from './podResults.js';
import type { PodBenchSettings, PodmanRun } from './podResults.js';

const run = promisify(execFile);

const NETWORK = 'k8ts-bench';
const SUBNET = '198.18.250.0/24';
/** Where CNI's host-local IPAM keeps its leases per network name. */
const CNI_IPAM_DIR = '/var/lib/cni/networks';
/** podman's implicit default network (never used: every play names NETWORK), kept off 10.88 too. */
const DEFAULT_NETWORK = { name: 'k8ts-bench-unused', subnet: '198.18.252.0/24' };
/** runc fails with "error setting rlimit" under podman's default limits here. */
const LIMITS = { nofile: 20000, nproc: 32768 };

/** The private configuration files under `dir`; returns the environment that points podman at them. */
async function writePrivateConfig(dir: string): Promise<NodeJS.ProcessEnv> {
  const path = (name: string): string => join(dir, name);
  for (const sub of ['storage', 'run', 'cni', 'tmp']) await mkdir(path(sub), { recursive: true, mode: 0o700 });
  await writeFile(path('storage.conf'), `[storage]\ndriver = "overlay"\ngraphroot = "${path('storage')}"\nrunroot = "${path('run')}"\n`);
  await writeFile(path('registries.conf'), 'unqualified-search-registries = []\n');
  await writeFile(
    path('containers.conf'),
    [
      '[containers]',
      `default_ulimits = ["nofile=${LIMITS.nofile}:${LIMITS.nofile}", "nproc=${LIMITS.nproc}:${LIMITS.nproc}"]`,
      '[network]',
      'network_backend = "cni"',
      `network_config_dir = "${path('cni')}"`,
      'cni_plugin_dirs = ["/usr/lib/cni"]',
      `default_network = "${DEFAULT_NETWORK.name}"`,
      `default_subnet = "${DEFAULT_NETWORK.subnet}"`,
      '[engine]',
      'cgroup_manager = "cgroupfs"',
      'events_logger = "none"',
      `tmp_dir = "${path('tmp')}"`,
      '',
    ].join('\n'),
  );
  return {
    ...process.env,
    CONTAINERS_CONF: path('containers.conf'),
    CONTAINERS_STORAGE_CONF: path('storage.conf'),
    CONTAINERS_REGISTRIES_CONF: path('registries.conf'),
  };
}

/** podman's version, or undefined when it is not installed. */
async function podmanVersion(): Promise<string | undefined> {
  return run('podman', ['--version']).then(
    ({ stdout }) => stdout.trim(),
    () => undefined,
  );
}

/** Plays `settings.podmanRuns` pods one after another; skipped (with the reason) when podman is absent. */
export async function measurePodman(settings: PodBenchSettings, lifetimes: Lifetimes, progress: Progress): Promise<PodmanRun> {
  const version = await podmanVersion();
  if (version === undefined) {
    progress('podman not installed, skipped');
    return { skipped: 'podman not installed' };
  }
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-bench-podman-'));
  const env = await writePrivateConfig(dir);
  // Lowered limits for podman and everything it starts (conmon, runc).
  const podman = (args: string[], timeout = 60_000): Promise<{ stdout: string }> =>
    run('prlimit', [`--nofile=${LIMITS.nofile}`, `--nproc=${LIMITS.nproc}`, 'podman', ...args], { env, timeout, maxBuffer: 16 << 20 });
  const cleanUp = lifetimes.add('podman pods, network and storage', async () => {
    await podman(['pod', 'rm', '-a', '-f', '-t', '0']).catch(() => undefined);
    const bridge = await podman(['network', 'inspect', '--format', '{{.NetworkInterface}}', NETWORK]).then(
      ({ stdout }) => stdout.trim(),
      () => '',
    );
    await podman(['network', 'rm', '-f', NETWORK]).catch(() => undefined);
    await podman(['system', 'reset', '-f']).catch(() => undefined);
    if (bridge !== '') await run('ip', ['link', 'delete', bridge]).catch(() => undefined);
    // The CNI host-local IPAM state of the network (not under our dir: podman leaves its default place).
    await rm(join(CNI_IPAM_DIR, NETWORK), { recursive: true, force: true });
    await rm(dir, { recursive: true, force: true });
  });
  progress(`podman: loading busybox, creating network ${NETWORK} (${SUBNET})`);
  const archive = await busyboxImage.build(join(dir, 'busybox.tar'));
  await podman(['load', '-q', '-i', archive.path]);
  const loaded = (await podman(['images', '-q', '--no-trunc'])).stdout.trim().split('\n')[0] ?? '';
  await podman(['tag', loaded, BUSYBOX_IMAGE]);
  await podman(['network', 'create', '--driver', 'bridge', '--subnet', SUBNET, NETWORK]);
  const play = async (name: string): Promise<number> => {
    const file = join(dir, `${name}.yaml`);
    await writeFile(file, benchPodYaml(name));
    const at = performance.now();
    await podman(['kube', 'play', '--network', NETWORK, file]);
    return performance.now() - at;
  };
  await play('podman-warmup');
  progress(`podman: ${settings.podmanRuns} × kube play, sequential`);
  const times: number[] = [];
  for (let i = 0; i < settings.podmanRuns; i++) times.push(await play(`podman-${i}`));
  await cleanUp();
  return { version, play: latencyStats(times) };
}
