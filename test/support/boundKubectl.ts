/**
 * Test support: one kubectl binary bound to one test cluster, with assertions on the
 * exit code built in, so e2e tests read as the commands a user types.
 */
import assert from 'node:assert/strict';
import type { KubectlResult, TestCluster } from './cluster.js';
import { kubectl } from './cluster.js';

/** Options of one bound kubectl run. */
export interface RunOptions {
  /** Written to kubectl's stdin. */
  input?: string;
  /** Extra environment (e.g. EDITOR, TMPDIR). */
  env?: Record<string, string>;
  /** SIGKILL after this long (default 60 s). */
  timeoutMs?: number;
  /** Sees stderr as it arrives (e.g. to learn that a watch has started). */
  onStderr?: (chunk: string) => void;
}

/** kubectl bound to a cluster and a binary. */
export interface BoundKubectl {
  /** Runs kubectl; never throws on a non-zero exit. */
  run(args: string[], options?: RunOptions): Promise<KubectlResult>;
  /** Runs kubectl, asserts exit code 0 and returns stdout. */
  ok(args: string[], options?: RunOptions): Promise<string>;
  /** Runs kubectl, asserts a non-zero exit code and returns stderr. */
  fails(args: string[], options?: RunOptions): Promise<string>;
}

/**
 * Binds kubectl at `bin` to the cluster `cluster()` returns at call time (tests create
 * the cluster in `before`), adding `env` to every run.
 */
export function bindKubectl(cluster: () => TestCluster, bin: string, env: Record<string, string> = {}): BoundKubectl {
  const run = (args: string[], options: RunOptions = {}): Promise<KubectlResult> =>
    kubectl(cluster(), args, { ...options, bin, env: { ...env, ...options.env } });
  return {
    run,
    async ok(args, options) {
      const result = await run(args, options);
      assert.equal(result.code, 0, `kubectl ${args.join(' ')} exited ${result.code}: ${result.stderr}${result.stdout}`);
      return result.stdout;
    },
    async fails(args, options) {
      const result = await run(args, options);
      assert.notEqual(result.code, 0, `kubectl ${args.join(' ')} should have failed:\n${result.stdout}`);
      return result.stderr;
    },
  };
}
