import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CriClient } from '../cri/client.js';
import { busyboxImage } from '../images/baseImages.js';
import { busyboxContainer, runContainer, sandboxConfig } from '../testing/pods.js';
import { killall } from './killall.js';
import { containerdPaths } from './paths.js';

/** A sleep length no other test uses, so the process check sees only this file's containers. */
const SLEEPER_SECONDS = '3607';

const run = promisify(execFile);
const K8TS = fileURLToPath(new URL('../../../../bin/k8ts', import.meta.url));
const BRIDGE = 'k8tskill0';

/**
 * Starts a containerd (pod network, base images) from a separate Node process that then
 * exits, leaving containerd orphaned as after a crashed `k8ts server`.
 */
async function startOrphanContainerd(dataDir: string): Promise<void> {
  const module = (path: string): string => JSON.stringify(new URL(path, import.meta.url).href);
  const script = `
    import { ContainerdProcess } from ${module('./process.js')};
    import { CriClient } from ${module('../cri/client.js')};
    import { PAUSE_IMAGE } from ${module('../images/baseImages.js')};
    import { ensureBaseImages } from ${module('../images/ensureBaseImages.js')};
    import { writePodNetworkConfig } from ${module('../../network/cni/config.js')};
    const dataDir = process.argv[1];
    const containerd = new ContainerdProcess({ dataDir, sandboxImage: PAUSE_IMAGE });
    await writePodNetworkConfig(containerd.paths.cniConfDir, { podCidr: '198.18.252.0/24', bridge: ${JSON.stringify(BRIDGE)}, ipamDataDir: dataDir + '/cni/ipam' });
    await containerd.start();
    const cri = new CriClient(containerd.socket);
    await ensureBaseImages(cri, containerd.socket, containerd.paths.imagesDir);
    cri.close();
    process.exit(0);
  `;
  await run(process.execPath, ['--input-type=module', '-e', script, dataDir]);
}

/** Pids whose command line mentions `needle`. */
async function processesMentioning(needle: string): Promise<string[]> {
  const found: string[] = [];
  for (const pid of (await readdir('/proc')).filter((name) => /^\d+$/.test(name))) {
    const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).replaceAll('\0', ' ');
    if (cmdline.includes(needle) && Number(pid) !== process.pid) found.push(`${pid} ${cmdline}`);
  }
  return found;
}

async function mountsUnder(dir: string): Promise<string[]> {
  return (await readFile('/proc/self/mountinfo', 'utf8')).split('\n').map((line) => line.split(' ')[4] ?? '').filter((p) => p.startsWith(dir));
}

describe('k8ts image and k8ts killall on an orphaned containerd', () => {
  let dataDir: string;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'k8ts-killall-'));
    await startOrphanContainerd(dataDir);
  });
  after(async () => {
    await killall(dataDir);
    await run('ip', ['link', 'delete', BRIDGE]).catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true });
  });

  it('imports an image archive under a name and lists it', async () => {
    const archive = await busyboxImage.build(join(dataDir, 'custom.tar'));
    const imported = await run(process.execPath, [K8TS, 'image', 'import', archive.path, '--name', 'k8ts.test/custom:1', '--data-dir', dataDir]);
    assert.match(imported.stdout, /k8ts\.test\/custom:1/);
    const { stdout } = await run(process.execPath, [K8TS, 'image', 'ls', '--data-dir', dataDir]);
    const lines = stdout.trim().split('\n');
    assert.match(lines[0] ?? '', /^IMAGE\s+IMAGE ID\s+SIZE$/);
    for (const name of ['k8ts.test/custom:1', 'docker.io/library/busybox:latest', 'k8ts.local/pause:catatonit']) {
      assert.ok(lines.some((line) => line.startsWith(`${name} `)), `${name} in\n${stdout}`);
    }
  });

  it('leaves no containerd, shim, container process, mount or network namespace behind', async () => {
    const { socket } = containerdPaths(dataDir);
    const cri = new CriClient(socket);
    try {
      for (const [name, hostNetwork] of [['pod-net', false], ['host-net', true]] as const) {
        const sandbox = sandboxConfig(name, join(dataDir, 'logs', name), hostNetwork);
        const sandboxId = await cri.runPodSandbox(sandbox);
        await runContainer(cri, sandboxId, sandbox, busyboxContainer('sleeper', ['sleep', SLEEPER_SECONDS]));
      }
    } finally {
      cri.close();
    }
    assert.notDeepEqual(await processesMentioning(socket), []);
    assert.notDeepEqual(await processesMentioning(`sleep ${SLEEPER_SECONDS}`), []);
    assert.notDeepEqual(await mountsUnder(dataDir), []);

    const { stdout } = await run(process.execPath, [K8TS, 'killall', '--data-dir', dataDir]);
    assert.match(stdout, /^removed 2 sandboxes/);
    assert.deepEqual(await processesMentioning(socket), []);
    assert.deepEqual(await processesMentioning(dataDir), []);
    assert.deepEqual(await mountsUnder(dataDir), []);
    assert.deepEqual(await processesMentioning(`sleep ${SLEEPER_SECONDS}`), []);
  });
});

describe('k8ts killall after containerd was killed', () => {
  let dataDir: string;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'k8ts-killall-dead-'));
    await startOrphanContainerd(dataDir);
  });
  after(async () => {
    await killall(dataDir);
    await run('ip', ['link', 'delete', BRIDGE]).catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true });
  });

  it('kills the shims and their containers, unmounts their leftovers and removes their NAT rules', async () => {
    const paths = containerdPaths(dataDir);
    const cri = new CriClient(paths.socket);
    let sandboxId: string;
    try {
      const sandbox = sandboxConfig('orphan', join(dataDir, 'logs', 'orphan'), false);
      sandboxId = await cri.runPodSandbox(sandbox);
      await runContainer(cri, sandboxId, sandbox, busyboxContainer('sleeper', ['sleep', '3601']));
    } finally {
      cri.close();
    }
    process.kill(Number(await readFile(paths.pidFile, 'utf8')), 'SIGKILL');
    assert.notDeepEqual(await processesMentioning('sleep 3601'), []);
    const natRulesOfSandbox = async (): Promise<number> => (await run('iptables-save', ['-t', 'nat'], { maxBuffer: 64 * 1024 * 1024 })).stdout.split('\n').filter((line) => line.includes(sandboxId)).length;
    assert.ok((await natRulesOfSandbox()) > 0, 'the bridge plugin masquerades the sandbox');

    await run(process.execPath, [K8TS, 'killall', '--data-dir', dataDir]);
    assert.deepEqual(await processesMentioning(paths.socket), []);
    assert.deepEqual(await processesMentioning('sleep 3601'), []);
    assert.deepEqual(await mountsUnder(dataDir), []);
    assert.equal(await natRulesOfSandbox(), 0);
  });
});
