/**
 * Durability: a child process creates keys and prints each one once acknowledged; we
 * SIGKILL it mid-stream, reopen the store, and every acknowledged key must be there.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { TestEtcd } from '../../test/support/etcd.js';
import { startEtcd } from '../../test/support/etcd.js';
import { openStore } from './open.js';

const WRITER = fileURLToPath(new URL('./testing/writer.js', import.meta.url));
/** How many acknowledged creates to wait for before killing the writer. */
const ACKED_BEFORE_KILL = 300;

/** Runs the writer until `ACKED_BEFORE_KILL` keys are acknowledged, kills it, returns the acknowledged keys. */
async function ackedKeysBeforeKill(args: string[]): Promise<string[]> {
  const child = spawn(process.execPath, [WRITER, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let buffered = '';
  let stderr = '';
  const acked: string[] = [];
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        buffered += chunk;
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        acked.push(...lines);
        if (acked.length >= ACKED_BEFORE_KILL) {
          // Kill while writes are still in flight.
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.once('exit', (code) => {
        if (acked.length < ACKED_BEFORE_KILL) reject(new Error(`writer exited (${String(code)}) early: ${stderr}`));
      });
    });
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
  return acked;
}

async function assertAllPresent(endpoint: string, keys: readonly string[]): Promise<void> {
  const store = await openStore(endpoint, { compaction: false });
  try {
    const missing: string[] = [];
    for (const key of keys) {
      await store.get(key).catch(() => missing.push(key));
    }
    assert.deepEqual(missing, [], 'every acknowledged create survives SIGKILL');
  } finally {
    await store.close();
  }
}

describe('durability after SIGKILL', () => {
  describe('sqlite', () => {
    const dir = mkdtempSync(join(tmpdir(), 'k8ts-durability-'));
    after(() => rmSync(dir, { recursive: true, force: true }));

    for (const synchronous of ['full', 'normal']) {
      test(`synchronous=${synchronous}: every acknowledged create is present after reopening`, { timeout: 120_000 }, async () => {
        const endpoint = `sqlite://${join(dir, `${synchronous}.db`)}`;
        const keys = await ackedKeysBeforeKill([endpoint, '/registry/durability/', '16', synchronous]);
        await assertAllPresent(endpoint, keys);
      });
    }
  });

  describe('etcd', () => {
    let etcd: TestEtcd | undefined;
    before(async () => {
      etcd = await startEtcd();
    });
    after(() => etcd?.stop());

    test('every acknowledged create is present after reconnecting', { timeout: 120_000 }, async () => {
      const endpoint = (etcd as TestEtcd).endpoint;
      const keys = await ackedKeysBeforeKill([endpoint, '/registry/durability/', '16']);
      await assertAllPresent(endpoint, keys);
    });
  });
});
