/**
 * Starts a real etcd (`/usr/bin/etcd`, 3.4) for tests: free loopback ports, a temp data
 * dir, ready once `GET /health` says so. `stop()` kills it and removes the dir; a
 * process exit handler does the same if a test run ends without calling `stop()`.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A running test etcd. */
export interface TestEtcd {
  /** Client URL, e.g. `http://127.0.0.1:41234`. */
  endpoint: string;
  /** The data directory (removed by `stop`). */
  dataDir: string;
  /** SIGKILLs etcd and starts it again on the same ports and data; resolves once healthy. */
  restart(): Promise<void>;
  /** Kills etcd (SIGKILL) and removes its data dir; safe to call twice. */
  stop(): Promise<void>;
}

const ETCD_BINARY = process.env['K8TS_ETCD_BINARY'] ?? '/usr/bin/etcd';
const READY_TIMEOUT_MS = 30_000;

/** A port that was free a moment ago on 127.0.0.1. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function healthy(endpoint: string): Promise<boolean> {
  try {
    const res = await fetch(`${endpoint}/health`, { signal: AbortSignal.timeout(1000) });
    const body = (await res.json()) as { health?: string };
    return res.ok && body.health === 'true';
  } catch {
    return false;
  }
}

/** One etcd process: its exit, and the tail of its stderr for error messages. */
interface EtcdProcess {
  child: ChildProcess;
  exited: Promise<void>;
  hasExited(): boolean;
  stderr(): string;
}

function spawnEtcd(dataDir: string, endpoint: string, peer: string): EtcdProcess {
  const child = spawn(
    ETCD_BINARY,
    [
      '--name', 'k8ts-test',
      '--data-dir', dataDir,
      '--listen-client-urls', endpoint,
      '--advertise-client-urls', endpoint,
      '--listen-peer-urls', peer,
      '--initial-advertise-peer-urls', peer,
      '--initial-cluster', `k8ts-test=${peer}`,
      '--log-level', 'error',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  return { child, exited: exitedPromise, hasExited: () => exited, stderr: () => stderr };
}

/** Starts etcd and resolves once it is healthy. */
export async function startEtcd(): Promise<TestEtcd> {
  const [clientPort, peerPort] = [await freePort(), await freePort()];
  const dataDir = mkdtempSync(join(tmpdir(), 'k8ts-etcd-'));
  const endpoint = `http://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  let current = spawnEtcd(dataDir, endpoint, peer);

  const killNow = (): void => {
    if (!current.hasExited()) current.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  };
  process.once('exit', killNow);
  const kill = async (): Promise<void> => {
    if (!current.hasExited()) current.child.kill('SIGKILL');
    await current.exited;
  };
  const stop = async (): Promise<void> => {
    process.removeListener('exit', killNow);
    await kill();
    rmSync(dataDir, { recursive: true, force: true });
  };
  const waitHealthy = async (): Promise<void> => {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (!(await healthy(endpoint))) {
      if (current.hasExited() || Date.now() > deadline) {
        const why = current.stderr();
        await stop();
        throw new Error(`etcd did not become healthy at ${endpoint}: ${why}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const restart = async (): Promise<void> => {
    await kill();
    current = spawnEtcd(dataDir, endpoint, peer);
    await waitHealthy();
  };

  await waitHealthy();
  return { endpoint, dataDir, restart, stop };
}
