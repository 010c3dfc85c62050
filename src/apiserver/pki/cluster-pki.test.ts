import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat, writeFile, readFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { ensureClusterPki, issueClientCertificate, servingNames, tlsDirectory, DEFAULT_SERVICE_IP } from './cluster-pki.js';
import { subjectAltNames, subjectIdentity, isIssuedBy, canonicalIp } from './certificateChecks.js';
import { x509 } from './x509.js';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('ensureClusterPki', () => {
  let dataDir: string;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'k8ts-pki-'));
  });
  after(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  test('creates every part on first start', async () => {
    const pki = await ensureClusterPki(dataDir, { hostnames: ['api.example.test', '203.0.113.7'], ips: ['198.51.100.9'] });
    assert.deepEqual([...pki.issued].sort(), ['admin', 'ca', 'serviceAccount', 'serving']);
    assert.equal(pki.directory, tlsDirectory(dataDir));
  });

  test('reuses everything on a later start', async () => {
    const first = await ensureClusterPki(dataDir, { hostnames: ['api.example.test'] });
    const second = await ensureClusterPki(dataDir, { hostnames: ['api.example.test'] });
    assert.deepEqual(second.issued, []);
    assert.equal(second.ca.certPem, first.ca.certPem);
    assert.equal(second.serving.certPem, first.serving.certPem);
    assert.equal(second.admin.keyPem, first.admin.keyPem);
    assert.equal(second.serviceAccount.privateKeyPem, first.serviceAccount.privateKeyPem);
  });

  test('the serving certificate covers the default and extra names', async () => {
    const pki = await ensureClusterPki(dataDir, { hostnames: ['api.example.test', '203.0.113.7'], ips: ['198.51.100.9'] });
    const names = subjectAltNames(new x509.X509Certificate(pki.serving.certPem));
    for (const dns of ['localhost', hostname().toLowerCase(), 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local', 'api.example.test']) {
      assert.ok(names.dnsNames.includes(dns), `missing DNS SAN ${dns}`);
    }
    for (const ip of ['127.0.0.1', '::1', DEFAULT_SERVICE_IP, '203.0.113.7', '198.51.100.9']) {
      assert.ok(names.ips.includes(canonicalIp(ip)), `missing IP SAN ${ip}`);
    }
  });

  test('a new name renews the serving certificate but keeps the CA and admin', async () => {
    const before = await ensureClusterPki(dataDir);
    const after = await ensureClusterPki(dataDir, { hostnames: ['other.example.test'], serviceIp: '198.19.128.1' });
    assert.deepEqual(after.issued, ['serving']);
    assert.equal(after.ca.certPem, before.ca.certPem);
    assert.equal(after.admin.certPem, before.admin.certPem);
    const names = subjectAltNames(new x509.X509Certificate(after.serving.certPem));
    assert.ok(names.dnsNames.includes('other.example.test'));
    assert.ok(names.ips.includes('198.19.128.1'));
  });

  test('leaf certificates close to expiry are renewed, the CA is kept', async () => {
    const current = await ensureClusterPki(dataDir);
    const later = await ensureClusterPki(dataDir, { now: new Date(Date.now() + 300 * DAY_MS) });
    assert.deepEqual([...later.issued].sort(), ['admin', 'serving']);
    assert.equal(later.ca.certPem, current.ca.certPem);
  });

  test('leaves are issued by the CA with the expected identities and lifetimes', async () => {
    const pki = await ensureClusterPki(dataDir);
    const ca = new x509.X509Certificate(pki.ca.certPem);
    const serving = new x509.X509Certificate(pki.serving.certPem);
    const admin = new x509.X509Certificate(pki.admin.certPem);
    assert.ok(await isIssuedBy(serving, ca));
    assert.ok(await isIssuedBy(admin, ca));
    assert.deepEqual(subjectIdentity(admin), { commonName: 'admin', organizations: ['system:masters'] });
    assert.equal(ca.getExtension(x509.BasicConstraintsExtension)?.ca, true);
    const years = (c: x509.X509Certificate): number => (c.notAfter.getTime() - c.notBefore.getTime()) / (365 * DAY_MS);
    assert.ok(years(ca) > 9.9 && years(ca) < 10.1);
    assert.ok(years(serving) > 0.99 && years(serving) < 1.01);
  });

  test('keys are 0600 and the directory 0700', async () => {
    await ensureClusterPki(dataDir);
    const dir = tlsDirectory(dataDir);
    assert.equal((await stat(dir)).mode & 0o777, 0o700);
    for (const key of ['ca.key', 'serving.key', 'admin.key', 'sa.key']) {
      assert.equal((await stat(join(dir, key))).mode & 0o777, 0o600, key);
    }
    for (const file of ['ca.crt', 'serving.crt', 'admin.crt', 'sa.pub']) {
      assert.ok((await stat(join(dir, file))).isFile(), file);
    }
  });

  test('the service-account key pair signs and verifies', async () => {
    const pki = await ensureClusterPki(dataDir);
    const data = Buffer.from('payload');
    const signature = sign('sha256', data, createPrivateKey(pki.serviceAccount.privateKeyPem));
    assert.ok(verify('sha256', data, createPublicKey(pki.serviceAccount.publicKeyPem), signature));
    assert.equal(pki.serviceAccount.publicKeyPem, await readFile(join(pki.directory, 'sa.pub'), 'utf8'));
  });

  test('a damaged leaf is replaced, a damaged CA is an error', async () => {
    const dir = tlsDirectory(dataDir);
    await writeFile(join(dir, 'serving.crt'), 'not a certificate');
    const repaired = await ensureClusterPki(dataDir);
    assert.deepEqual(repaired.issued, ['serving']);

    const other = await mkdtemp(join(tmpdir(), 'k8ts-pki-other-'));
    try {
      const foreign = await ensureClusterPki(other);
      await writeFile(join(dir, 'ca.key'), foreign.ca.keyPem, { mode: 0o600 });
      await assert.rejects(ensureClusterPki(dataDir), /does not belong to/);
      await rm(join(dir, 'ca.key'));
      await assert.rejects(ensureClusterPki(dataDir), /incomplete key pair/);
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });
});

describe('issueClientCertificate', () => {
  test('issues a CA-signed certificate for the identity asked for', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'k8ts-pki-client-'));
    try {
      const pki = await ensureClusterPki(dataDir);
      const pair = await issueClientCertificate(pki, { commonName: 'system:node:n1', organizations: ['system:nodes', 'a, b'], days: 30 });
      const cert = new x509.X509Certificate(pair.certPem);
      assert.deepEqual(subjectIdentity(cert), { commonName: 'system:node:n1', organizations: ['system:nodes', 'a, b'] });
      assert.ok(await isIssuedBy(cert, new x509.X509Certificate(pki.ca.certPem)));
      const days = (cert.notAfter.getTime() - Date.now()) / DAY_MS;
      assert.ok(days > 29 && days <= 30);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('servingNames', () => {
  test('rejects an IP option that is not an IP address', () => {
    assert.throws(() => servingNames({ ips: ['example.test'] }), /invalid IP address/);
  });
});
