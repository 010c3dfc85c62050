import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Secret } from 'kubernetes-types/core/v1.js';
import { DockerKeyring, normalizedRepository } from './dockerKeyring.js';

const b64 = (text: string): string => Buffer.from(text).toString('base64');

function dockerConfigJson(auths: Record<string, { username?: string; password?: string; auth?: string }>): Secret {
  return { type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64(JSON.stringify({ auths })) } };
}

describe('normalizedRepository', () => {
  it('expands docker.io short names and drops tags and digests', () => {
    assert.equal(normalizedRepository('busybox'), 'docker.io/library/busybox');
    assert.equal(normalizedRepository('busybox:1.36'), 'docker.io/library/busybox');
    assert.equal(normalizedRepository('team/app@sha256:abc'), 'docker.io/team/app');
    assert.equal(normalizedRepository('127.0.0.1:5000/app:v1'), '127.0.0.1:5000/app');
    assert.equal(normalizedRepository('localhost/app'), 'localhost/app');
  });
});

describe('DockerKeyring', () => {
  it('matches by host, and host:port only with the same port', () => {
    const keyring = new DockerKeyring([dockerConfigJson({
      'registry.example.com': { username: 'plain', password: 'p1' },
      '127.0.0.1:5000': { auth: b64('ported:p2') },
    })]);
    assert.deepEqual(keyring.lookup('registry.example.com/app:v1'), [{ username: 'plain', password: 'p1' }]);
    assert.deepEqual(keyring.lookup('127.0.0.1:5000/app'), [{ username: 'ported', password: 'p2' }]);
    assert.deepEqual(keyring.lookup('127.0.0.1:5001/app'), []);
    assert.deepEqual(keyring.lookup('registry.example.com:443/app'), []);
    assert.deepEqual(keyring.lookup('busybox'), []);
  });

  it('prefers the most specific path, then wildcard hosts; keeps secret order within one key', () => {
    const keyring = new DockerKeyring([
      dockerConfigJson({ 'https://reg.example.com/team': { username: 'team', password: 'a' }, '*.example.com': { username: 'wild', password: 'b' } }),
      { type: 'kubernetes.io/dockercfg', data: { '.dockercfg': b64(JSON.stringify({ 'https://reg.example.com/team': { username: 'legacy', password: 'c' } })) } },
      { type: 'Opaque', data: { '.dockerconfigjson': b64(JSON.stringify({ auths: { 'reg.example.com': { username: 'ignored' } } })) } },
    ]);
    assert.deepEqual(keyring.lookup('reg.example.com/team/app').map((auth) => auth.username), ['team', 'legacy', 'wild']);
    assert.deepEqual(keyring.lookup('reg.example.com/other/app').map((auth) => auth.username), ['wild']);
    assert.deepEqual(keyring.lookup('a.b.example.com/app'), []);
  });

  it('uses index.docker.io credentials for docker.io images', () => {
    const keyring = new DockerKeyring([dockerConfigJson({ 'https://index.docker.io/v1/': { username: 'hub', password: 'x' } })]);
    assert.deepEqual(keyring.lookup('busybox'), [{ username: 'hub', password: 'x' }]);
    assert.deepEqual(keyring.lookup('quay.io/app'), []);
  });

  it('ignores malformed secrets', () => {
    const keyring = new DockerKeyring([{ type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64('not json') } }]);
    assert.deepEqual(keyring.lookup('busybox'), []);
  });
});
