/** Which ReplicaSet is a deployment's new one: template equality ignoring pod-template-hash and empty fields. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DeploymentObject, ReplicaSetObject } from './objects.js';
import { equalIgnoringHash, findActiveOrLatest, findNewReplicaSet, findOldReplicaSets } from './replicaSetSets.js';

const stored = { metadata: { labels: { app: 'web', 'pod-template-hash': 'abc' } }, spec: { containers: [{ name: 'c', image: 'busybox' }], securityContext: {} } };
/** The same template as `kubectl rollout undo` sends it back. */
const fromKubectl = { metadata: { creationTimestamp: null, labels: { app: 'web' } }, spec: { securityContext: {}, containers: [{ image: 'busybox', name: 'c', resources: {} }] } };

const rs = (name: string, created: string, image: string, replicas = 1): ReplicaSetObject => ({
  metadata: { name, uid: name, creationTimestamp: created },
  spec: { replicas, selector: {}, template: { metadata: { labels: { app: 'web', 'pod-template-hash': name } }, spec: { containers: [{ name: 'c', image }] } } },
});

test('templates are equal apart from the hash label, key order and empty fields', () => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  assert.equal(equalIgnoringHash(stored, fromKubectl as any), true);
  assert.equal(equalIgnoringHash(stored, { ...stored, spec: { containers: [{ name: 'c', image: 'other' }] } }), false);
});

test('the new ReplicaSet is the oldest with the template; the others are old; one active set is the active one', () => {
  const deployment: DeploymentObject = { metadata: { name: 'web' }, spec: { selector: {}, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'b' }] } } } };
  const sets = [rs('b2', '2026-01-01T00:02:00Z', 'b'), rs('a', '2026-01-01T00:00:00Z', 'a', 0), rs('b1', '2026-01-01T00:01:00Z', 'b')];
  assert.equal(findNewReplicaSet(deployment, sets)?.metadata.name, 'b1');
  assert.deepEqual(findOldReplicaSets(deployment, sets).map((s) => s.metadata.name), ['b2', 'a']);
  assert.equal(findActiveOrLatest(undefined, [rs('x', '2026-01-01T00:00:00Z', 'a', 0), rs('y', '2026-01-01T00:01:00Z', 'a', 2)])?.metadata.name, 'y');
  assert.equal(findActiveOrLatest(undefined, [rs('x', '2026-01-01T00:00:00Z', 'a', 0), rs('y', '2026-01-01T00:01:00Z', 'a', 0)])?.metadata.name, 'y');
  assert.equal(findActiveOrLatest(undefined, [rs('x', '2026-01-01T00:00:00Z', 'a', 1), rs('y', '2026-01-01T00:01:00Z', 'a', 2)]), undefined);
});
