/**
 * e2e: `k8ts server --disable`: with `controllers` disabled nothing empties a deleted
 * namespace (it stays Terminating until someone finalizes it by hand); an unknown
 * component is refused before anything starts.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { bindKubectl } from '../support/boundKubectl.js';
import type { TestCluster } from '../support/cluster.js';
import { K8TS_BIN, startCluster } from '../support/cluster.js';

describe('k8ts server --disable controllers', () => {
  let cluster: TestCluster;
  before(async () => {
    cluster = await startCluster(['--disable', 'controllers']);
  });
  after(async () => {
    await cluster?.stop();
  });
  const k = bindKubectl(() => cluster, 'kubectl');

  test('a deleted namespace stays Terminating with its content until finalized by hand', async () => {
    await k.ok(['create', 'namespace', 'stays']);
    await k.ok(['create', 'configmap', 'kept', '-n', 'stays']);
    await k.ok(['delete', 'namespace', 'stays', '--wait=false']);
    // Longer than the namespace controller's 5 s delay: a running controller would have removed it.
    const wait = await k.run(['wait', '--for=delete', 'namespace/stays', '--timeout=6s']);
    assert.notEqual(wait.code, 0);
    assert.match(wait.stderr, /timed out waiting for the condition on namespaces\/stays/);
    assert.equal(await k.ok(['get', 'namespace', 'stays', '-o', 'jsonpath={.status.phase} {.status.conditions}']), 'Terminating ');
    assert.equal(await k.ok(['get', 'configmap', 'kept', '-n', 'stays', '-o', 'name']), 'configmap/kept\n');

    const ns = JSON.parse(await k.ok(['get', 'namespace', 'stays', '-o', 'json'])) as Record<string, unknown>;
    await k.ok(['replace', '--raw', '/api/v1/namespaces/stays/finalize', '-f', '-'], { input: JSON.stringify({ ...ns, spec: { finalizers: [] } }) });
    assert.match(await k.fails(['get', 'namespace', 'stays']), /NotFound/);
  });
});

describe('k8ts server --disable with an unknown component', () => {
  let scratch: string;
  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'k8ts-e2e-disable-'));
  });
  after(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  test('is refused with exit code 2 (bad usage) before anything is created', () => {
    const dataDir = join(scratch, 'data');
    const run = spawnSync(process.execPath, [K8TS_BIN, 'server', '--data-dir', dataDir, '--https-port', '1', '--disable', 'bogus'], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(run.status, 2, run.stderr);
    assert.equal(run.stderr, 'k8ts server: unknown component "bogus" for --disable (known components: controllers, scheduler, kubelet)\n');
    assert.equal(existsSync(dataDir), false);
  });

  test('--help names the components that can be disabled', () => {
    const run = spawnSync(process.execPath, [K8TS_BIN, 'server', '--help'], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^ {2}--disable COMPONENT\s+Component not to start \(repeatable\): controllers, scheduler, kubelet$/m);
  });
});
