import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { readKubeconfig, writeKubeconfig } from './kubeconfig.js';

const spec = {
  server: 'https://127.0.0.1:6443',
  caPem: '-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n',
  clientCertPem: '-----BEGIN CERTIFICATE-----\nCLIENT\n-----END CERTIFICATE-----\n',
  clientKeyPem: '-----BEGIN PRIVATE KEY-----\nKEY\n-----END PRIVATE KEY-----\n',
};

describe('kubeconfig', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'k8ts-kubeconfig-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('round trip through a new directory, mode 0600, no temp files left', async () => {
    const path = join(dir, 'nested', 'deeper', 'config');
    await writeKubeconfig(path, spec);
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.deepEqual(await readKubeconfig(path), spec);
    assert.deepEqual(await readdir(join(dir, 'nested', 'deeper')), ['config']);
  });

  test('the file is a kubectl-style Config with embedded data and defaults', async () => {
    const path = join(dir, 'config');
    await writeKubeconfig(path, spec);
    const doc = parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    assert.equal(doc.kind, 'Config');
    assert.equal(doc['current-context'], 'k8ts');
    assert.deepEqual(doc.contexts, [{ name: 'k8ts', context: { cluster: 'k8ts', user: 'admin' } }]);
    const clusters = doc.clusters as Array<{ cluster: Record<string, string> }>;
    assert.equal(Buffer.from(clusters[0]?.cluster['certificate-authority-data'] ?? '', 'base64').toString(), spec.caPem);
  });

  test('rewriting replaces the file and honours names and namespace', async () => {
    const path = join(dir, 'named');
    await writeKubeconfig(path, spec);
    await writeKubeconfig(path, { ...spec, server: 'https://127.0.0.2:7443', clusterName: 'c', contextName: 'x', user: 'u', namespace: 'team' });
    const doc = parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    assert.deepEqual(doc.contexts, [{ name: 'x', context: { cluster: 'c', user: 'u', namespace: 'team' } }]);
    assert.equal((await readKubeconfig(path)).server, 'https://127.0.0.2:7443');
  });

  test('file references are read relative to the kubeconfig', async () => {
    await writeFile(join(dir, 'ca.crt'), spec.caPem);
    await writeFile(join(dir, 'admin.crt'), spec.clientCertPem);
    await writeFile(join(dir, 'admin.key'), spec.clientKeyPem);
    const path = join(dir, 'by-path');
    await writeFile(
      path,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters: [{name: c, cluster: {server: "https://127.0.0.1:6443", certificate-authority: ca.crt}}]',
        `users: [{name: u, user: {client-certificate: ${join(dir, 'admin.crt')}, client-key: admin.key}}]`,
        'contexts: [{name: x, context: {cluster: c, user: u}}]',
        'current-context: x',
      ].join('\n'),
    );
    assert.deepEqual(await readKubeconfig(path), spec);
  });

  test('a kubeconfig without the current context is an error', async () => {
    const path = join(dir, 'broken');
    await writeFile(path, 'apiVersion: v1\nkind: Config\ncurrent-context: nope\n');
    await assert.rejects(readKubeconfig(path), /no context named "nope"/);
  });
});
