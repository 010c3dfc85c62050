/**
 * Clean lifetimes for the benchmark: everything it starts (k8ts servers, etcd, their
 * temp dirs) registers how to stop it here, and is stopped on success, on error, on
 * SIGINT/SIGTERM and when the global deadline passes.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Registration {
  label: string;
  stop: () => Promise<unknown>;
}

/** A stack of things to stop; `stopAll` stops the remaining ones, newest first. */
export class Lifetimes {
  readonly #open: Registration[] = [];

  /**
   * Registers `stop` and returns a function that runs it early (once) and forgets it.
   * `label` names the thing in error messages.
   */
  add(label: string, stop: () => Promise<unknown>): () => Promise<void> {
    const registration: Registration = { label, stop };
    this.#open.push(registration);
    return async () => {
      const at = this.#open.indexOf(registration);
      if (at === -1) return;
      this.#open.splice(at, 1);
      await stop();
    };
  }

  /** Stops everything still registered, newest first; failures are reported on stderr, never thrown. */
  async stopAll(): Promise<void> {
    for (let registration = this.#open.pop(); registration !== undefined; registration = this.#open.pop()) {
      try {
        await registration.stop();
      } catch (err) {
        process.stderr.write(`bench: stopping ${registration.label} failed: ${String(err)}\n`);
      }
    }
  }
}

/**
 * Makes SIGINT, SIGTERM and a deadline `deadlineMs` from now stop everything in
 * `lifetimes` and exit (130, 143, or 124 for the deadline). Returns a function that
 * removes the handlers and the deadline.
 */
export function guardProcess(lifetimes: Lifetimes, deadlineMs: number): () => void {
  let exiting = false;
  const exitAfterCleanup = (why: string, code: number): void => {
    if (exiting) return;
    exiting = true;
    process.stderr.write(`\nbench: ${why}; stopping servers and etcd\n`);
    void lifetimes.stopAll().finally(() => process.exit(code));
  };
  const onSigint = (): void => exitAfterCleanup('interrupted', 130);
  const onSigterm = (): void => exitAfterCleanup('terminated', 143);
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
  const deadline = setTimeout(() => exitAfterCleanup(`global timeout of ${Math.round(deadlineMs / 1000)} s reached`, 124), deadlineMs);
  deadline.unref();
  return () => {
    clearTimeout(deadline);
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
  };
}

/**
 * Points TMPDIR (read by `os.tmpdir()`, so by the test support's startCluster and
 * startEtcd) at a fresh directory, and registers with `lifetimes` restoring it and
 * removing that directory with everything in it, including the data dir of a server
 * that failed to start. Returns the directory.
 */
export async function isolateTmpdir(lifetimes: Lifetimes): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-bench-'));
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  lifetimes.add(`temp dir ${dir}`, async () => {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
    await rm(dir, { recursive: true, force: true });
  });
  return dir;
}
