/**
 * Test support: Debian's docker-registry on a free 127.0.0.1 port with htpasswd basic
 * auth (bcrypt line from apache2-utils' `htpasswd`), in a temp dir that `stop()`
 * removes with the process; `push` copies an OCI archive in with skopeo.
 */
import type { ChildProcess } from 'node:child_process';
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './cluster.js';
import { pollUntil } from './poll.js';

const run = promisify(execFile);

/** A running registry. */
export interface TestRegistry {
  /** `127.0.0.1:<port>`: the registry host of image names. */
  host: string;
  username: string;
  password: string;
  /** Copies the OCI archive at `archive` to `<host>/<repository>` (e.g. `team/app:v1`). */
  push(archive: string, repository: string): Promise<void>;
  /** Everything the registry printed. */
  output(): string;
  /** Ends the registry and removes its files. */
  stop(): Promise<void>;
}

/** Starts docker-registry requiring `username` / a random password. */
export async function startRegistry(username = 'puller'): Promise<TestRegistry> {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-registry-'));
  const password = randomBytes(12).toString('hex');
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let log = '';
  const stop = async (): Promise<void> => {
    const current = child;
    if (current !== undefined && current.exitCode === null && current.signalCode === null) {
      const exited = new Promise<void>((resolve) => current.once('exit', () => resolve()));
      current.kill('SIGTERM');
      const timer = setTimeout(() => current.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const { stdout } = await run('htpasswd', ['-nbB', username, password]);
    await writeFile(join(dir, 'htpasswd'), stdout);
    await writeFile(join(dir, 'config.yml'), [
      'version: 0.1',
      'log:',
      '  level: warn',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${join(dir, 'data')}`,
      'http:',
      `  addr: ${host}`,
      `  secret: ${randomBytes(16).toString('hex')}`,
      'auth:',
      '  htpasswd:',
      '    realm: k8ts-test',
      `    path: ${join(dir, 'htpasswd')}`,
      '',
    ].join('\n'));
    const started = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = started;
    started.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    started.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    await pollUntil('docker-registry to answer /v2/', async () => {
      if (started.exitCode !== null) throw new Error(`docker-registry exited with ${started.exitCode}:\n${log}`);
      const response = await fetch(`http://${host}/v2/`).catch(() => undefined);
      return response?.status === 401 ? true : undefined;
    }, 30_000, 100);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    host,
    username,
    password,
    async push(archive, repository) {
      await run('skopeo', ['copy', '--quiet', '--dest-tls-verify=false', '--dest-creds', `${username}:${password}`, `oci-archive:${archive}`, `docker://${host}/${repository}`], { maxBuffer: 16 * 1024 * 1024 });
    },
    output: () => log,
    stop,
  };
}
