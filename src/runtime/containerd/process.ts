/**
 * Runs k8ts's own containerd as a child process: writes its config, starts it, waits
 * for its socket, restarts it with bounded backoff when it dies, and stops it on
 * request (SIGTERM, then SIGKILL). Containers keep running across a containerd
 * restart or stop (their shims are separate processes); `killall` ends those.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { renderContainerdConfig } from './config.js';
import type { ContainerdPaths } from './paths.js';
import { containerdPaths } from './paths.js';

/** How to run containerd. */
export interface ContainerdOptions {
  /** The k8ts data dir (absolute); containerd lives under `<dataDir>/containerd`. */
  dataDir: string;
  /** Image reference CRI uses for sandboxes. */
  sandboxImage: string;
  /** Registry mirrors for containerd's CRI (see ContainerdConfigOptions). */
  registryMirrors?: Readonly<Record<string, readonly string[]>>;
  /** The containerd binary (default `containerd` on PATH). */
  binary?: string;
  /** Called with a line about restarts and unexpected exits. */
  onEvent?: (message: string) => void;
}

const SOCKET_WAIT_MS = 30_000;
const STOP_GRACE_MS = 10_000;
const BACKOFF_START_MS = 500;
const BACKOFF_MAX_MS = 30_000;
/** A run this long resets the restart backoff. */
const HEALTHY_RUN_MS = 60_000;

/** Resolves when a unix socket accepts a connection; rejects after `timeoutMs`. */
export async function waitForSocket(path: string, timeoutMs: number, isAlive: () => boolean = () => true): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive()) throw new Error(`containerd exited before its socket ${path} opened`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(path);
      socket.once('connect', () => { socket.destroy(); resolve(true); });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(50);
  }
  throw new Error(`containerd socket ${path} did not open within ${timeoutMs} ms`);
}

/** One supervised containerd. `start()` once, `stop()` once. */
export class ContainerdProcess {
  /** Paths of this containerd (socket, config, pid file…). */
  readonly paths: ContainerdPaths;
  private child: ChildProcess | undefined;
  private stopping = false;
  private backoffMs = BACKOFF_START_MS;
  private restartTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: ContainerdOptions) {
    this.paths = containerdPaths(options.dataDir);
  }

  /** The gRPC socket path. */
  get socket(): string {
    return this.paths.socket;
  }

  /** Writes the config, starts containerd and resolves once its socket accepts connections. */
  async start(): Promise<void> {
    const { paths } = this;
    for (const dir of [paths.base, paths.root, paths.state, paths.cniConfDir, dirname(paths.socket)]) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
    }
    await writeFile(paths.config, renderContainerdConfig({ paths, sandboxImage: this.options.sandboxImage, ...(this.options.registryMirrors !== undefined ? { registryMirrors: this.options.registryMirrors } : {}) }), { mode: 0o600 });
    await this.launch();
  }

  private async launch(): Promise<void> {
    const inUse = await waitForSocket(this.paths.socket, 1).then(() => true, () => false);
    if (inUse) throw new Error(`a containerd already serves ${this.paths.socket} (stop it with k8ts killall)`);
    await rm(this.paths.socket, { force: true });
    const log = openSync(this.paths.log, 'a', 0o600);
    const child = spawn(this.options.binary ?? 'containerd', ['--config', this.paths.config], {
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    this.child = child;
    let alive = true;
    const startedAt = Date.now();
    child.once('exit', (code, signal) => {
      alive = false;
      if (this.child === child) this.child = undefined;
      if (!this.stopping) this.scheduleRestart(`containerd exited (code ${code}, signal ${signal})`, Date.now() - startedAt);
    });
    child.once('error', () => { alive = false; });
    if (child.pid !== undefined) await writeFile(this.paths.pidFile, `${child.pid}\n`);
    await waitForSocket(this.paths.socket, SOCKET_WAIT_MS, () => alive);
  }

  private scheduleRestart(reason: string, ranForMs: number): void {
    if (ranForMs >= HEALTHY_RUN_MS) this.backoffMs = BACKOFF_START_MS;
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, BACKOFF_MAX_MS);
    this.options.onEvent?.(`${reason}; restarting in ${delay} ms (log: ${this.paths.log})`);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (this.stopping) return;
      this.launch().catch((err: unknown) => this.options.onEvent?.(`containerd restart failed: ${(err as Error).message}`));
    }, delay);
  }

  /** The running containerd's pid, if any. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Stops containerd (SIGTERM, SIGKILL after a grace period) and never restarts it again. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer !== undefined) clearTimeout(this.restartTimer);
    const child = this.child;
    if (child !== undefined && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const killTimer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(killTimer);
    }
    await rm(this.paths.pidFile, { force: true });
  }
}
