/**
 * Test support: starts a real `k8ts server` process on free loopback ports with a
 * temporary data dir, and runs the real kubectl against it. Every process and
 * directory is removed by `stop()`, and at process exit if a test forgot.
 */
import { execFile, spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** The repository root (tests run compiled, from dist/test/support). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Path of the k8ts launcher. */
export const K8TS_BIN = join(REPO_ROOT, 'bin', 'k8ts');

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => ok(port));
    });
  });
}

/** A running test cluster. */
export interface TestCluster {
  dataDir: string;
  kubeconfig: string;
  url: string;
  port: number;
  /** Output the server printed so far (stdout and stderr). */
  output(): string;
  /** Stops the server with SIGTERM (SIGKILL after 10 s); resolves to its exit code. */
  stop(options?: { keepData?: boolean }): Promise<number | null>;
  /** Restarts the server on the same data dir and port. */
  restart(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Waits until /readyz answers 200 and the kubeconfig exists (the server writes it just after it starts listening). */
async function waitReady(url: string, kubeconfig: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`k8ts server exited with ${child.exitCode}:\n${output()}`);
    try {
      const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200 && existsSync(kubeconfig)) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`k8ts server not ready after 60 s:\n${output()}`);
}

/**
 * Node flags of a test server: its own pod CIDR (and so its own bridge) out of
 * 198.18.100.0–198.18.249.0, and its own kubelet port, so test clusters run side by side.
 */
async function testNodeFlags(extraFlags: readonly string[]): Promise<string[]> {
  const flags: string[] = [];
  if (!extraFlags.includes('--pod-cidr')) flags.push('--pod-cidr', `198.18.${100 + Math.floor(Math.random() * 150)}.0/24`);
  if (!extraFlags.includes('--kubelet-port')) flags.push('--kubelet-port', String(await freePort()));
  return flags;
}

/** Starts `k8ts server` with extra flags (e.g. a datastore endpoint). */
export async function startCluster(extraFlags: string[] = []): Promise<TestCluster> {
  const dataDir = await mkdtemp(join(tmpdir(), 'k8ts-test-'));
  const port = await freePort();
  const kubeconfig = join(dataDir, 'admin.kubeconfig');
  const nodeFlags = await testNodeFlags(extraFlags);
  const url = `https://127.0.0.1:${port}`;
  let log = '';
  let child: ChildProcess;
  const launch = async (): Promise<void> => {
    child = spawn(
      process.execPath,
      ['--enable-source-maps', K8TS_BIN, 'server', '--data-dir', dataDir, '--https-port', String(port), '--write-kubeconfig', kubeconfig, ...nodeFlags, ...extraFlags],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_TLS_REJECT_UNAUTHORIZED: '0' } },
    );
    running.add(child);
    child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
    child.once('exit', () => running.delete(child));
    await waitReady(url, kubeconfig, child, () => log);
  };
  const halt = async (): Promise<number | null> => {
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };
  // readyz is public, but the server's CA is not trusted by fetch: allow it for this probe only.
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
  await launch();
  return {
    dataDir,
    kubeconfig,
    url,
    port,
    output: () => log,
    async stop(options = {}) {
      const code = await halt();
      // The server leaves pods' containers running, as k3s does: end them, containerd and the bridge.
      await execFileAsync(process.execPath, [K8TS_BIN, 'killall', '--data-dir', dataDir], { timeout: 60_000 }).catch(() => undefined);
      if (!options.keepData) await rm(dataDir, { recursive: true, force: true });
      return code;
    },
    async restart() {
      await halt();
      await launch();
    },
  };
}

/** The result of one kubectl run. */
export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** kubectl binaries to test with: the newest on PATH and the oldest supported one. */
export function kubectlBinaries(): { version: string; path: string }[] {
  const out = [{ version: 'path', path: 'kubectl' }];
  const gcloud = spawnSync('sh', ['-c', 'readlink -f "$(command -v gcloud)"'], { encoding: 'utf8' }).stdout.trim();
  if (gcloud !== '') {
    const dir = dirname(gcloud);
    if (readdirSync(dir).includes('kubectl.1.27')) out.push({ version: '1.27', path: join(dir, 'kubectl.1.27') });
  }
  return out;
}

/** Runs kubectl against `cluster`; never throws on a non-zero exit. `onStderr` sees stderr as it arrives. */
export function kubectl(
  cluster: Pick<TestCluster, 'kubeconfig'>,
  args: string[],
  options: { input?: string; bin?: string; env?: Record<string, string>; timeoutMs?: number; onStderr?: (chunk: string) => void } = {},
): Promise<KubectlResult> {
  return new Promise((ok, fail) => {
    const child = spawn(options.bin ?? 'kubectl', args, {
      env: { ...process.env, KUBECONFIG: cluster.kubeconfig, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      options.onStderr?.(d.toString());
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.once('error', fail);
    child.once('close', (code) => {
      clearTimeout(timer);
      ok({ code: code ?? -1, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}
