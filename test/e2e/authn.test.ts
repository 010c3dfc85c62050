/**
 * Authentication at the door of a real `k8ts server`: requests without credentials
 * reach only the public health and version paths, certificates of another CA are
 * refused everywhere, and the admin certificate the kubeconfig holds is let in.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureClusterPki, type ClusterPki } from '../../src/apiserver/pki/cluster-pki.js';
import { startCluster, type TestCluster } from '../support/cluster.js';

interface Reply {
  status: number;
  body: string;
}

function get(cluster: TestCluster, path: string, ca: string, client?: { certPem: string; keyPem: string }): Promise<Reply> {
  return new Promise((ok, fail) => {
    const req = request(
      { host: '127.0.0.1', port: cluster.port, path, ca, cert: client?.certPem, key: client?.keyPem, agent: false, rejectUnauthorized: true },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => ok({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', fail);
    req.end();
  });
}

describe('authentication of k8ts server', () => {
  let cluster: TestCluster;
  let pki: ClusterPki;
  let foreign: ClusterPki;
  let foreignDir: string;
  before(async () => {
    cluster = await startCluster();
    pki = await ensureClusterPki(cluster.dataDir);
    foreignDir = await mkdtemp(join(tmpdir(), 'k8ts-foreign-pki-'));
    foreign = await ensureClusterPki(foreignDir);
  });
  after(async () => {
    await cluster.stop();
    await rm(foreignDir, { recursive: true, force: true });
  });

  test('anonymous requests get 401 except /healthz, /livez, /readyz and /version', async () => {
    for (const path of ['/healthz', '/livez', '/readyz', '/version']) {
      assert.equal((await get(cluster, path, pki.ca.certPem)).status, 200, path);
    }
    for (const path of ['/api', '/apis', '/api/v1/namespaces', '/openapi/v2', '/metrics']) {
      const reply = await get(cluster, path, pki.ca.certPem);
      assert.equal(reply.status, 401, path);
      const status = JSON.parse(reply.body) as { reason: string; code: number };
      assert.equal(status.reason, 'Unauthorized');
      assert.equal(status.code, 401);
    }
  });

  test('a client certificate from another CA is refused with 401, also on public paths', async () => {
    for (const path of ['/api/v1/namespaces', '/healthz']) {
      assert.equal((await get(cluster, path, pki.ca.certPem, foreign.admin)).status, 401, path);
    }
  });

  test('the admin certificate is authenticated and allowed everything', async () => {
    const reply = await get(cluster, '/api/v1/namespaces/kube-system', pki.ca.certPem, pki.admin);
    assert.equal(reply.status, 200);
    assert.equal((JSON.parse(reply.body) as { metadata: { name: string } }).metadata.name, 'kube-system');
  });
});
