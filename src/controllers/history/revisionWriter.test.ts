/**
 * Writing ControllerRevisions against a real API server (in process, memory store): a
 * new template gets a new revision, an unchanged one keeps it, going back to an older
 * template renumbers that revision, and a name taken by other data is a collision.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import { connect, type ConnectedClient } from '../../../test/support/apiClient.js';
import { startInProcessApi, type InProcessApi } from '../../../test/support/inProcessApi.js';
import { revisionHash, revisionName } from './revisionHash.js';
import { ensureUpdateRevision } from './revisionWriter.js';
import type { RevisionObject } from './revisions.js';
import { canonicalJson, templatePatch } from './templatePatch.js';

const template = (image: string) => ({ metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image }] } });
const owner = (name: string, image: string, collisionCount?: number) => ({
  metadata: { name, namespace: 'default', uid: `uid-${name}`, annotations: { note: 'kept' } },
  spec: { template: template(image) },
  ...(collisionCount !== undefined ? { status: { collisionCount } } : {}),
});
const refTo = (name: string): OwnerReference => ({ apiVersion: 'apps/v1', kind: 'StatefulSet', name, uid: `uid-${name}`, controller: true, blockOwnerDeletion: true });

describe('revision writer', () => {
  let api: InProcessApi;
  let connected: ConnectedClient;
  const list = async (prefix: string): Promise<RevisionObject[]> =>
    ((await api.request('GET', '/apis/apps/v1/namespaces/default/controllerrevisions')).body.items as RevisionObject[]).filter((r) => r.metadata.name?.startsWith(prefix));

  before(async () => {
    api = await startInProcessApi();
    connected = connect(api);
  });
  after(async () => {
    connected.close();
    await api.stop();
  });

  test('new, unchanged and rolled-back templates', async () => {
    const client = connected.client;
    const first = await ensureUpdateRevision(client, owner('a', 'one'), refTo('a'), []);
    assert.equal(first.revision.revision, 1);
    assert.equal(first.revision.metadata.name, `a-${first.hash}`);
    assert.equal(first.revision.metadata.labels?.['controller-revision-hash'], first.hash);
    assert.equal(first.revision.metadata.labels?.app, 'x');
    assert.equal(first.revision.metadata.annotations?.note, 'kept');
    assert.deepEqual(first.revision.metadata.ownerReferences, [refTo('a')]);
    const same = await ensureUpdateRevision(client, owner('a', 'one'), refTo('a'), await list('a-'));
    assert.equal(same.revision.metadata.name, first.revision.metadata.name);
    const second = await ensureUpdateRevision(client, owner('a', 'two'), refTo('a'), await list('a-'));
    assert.equal(second.revision.revision, 2);
    const back = await ensureUpdateRevision(client, owner('a', 'one'), refTo('a'), await list('a-'));
    assert.equal(back.revision.metadata.name, first.revision.metadata.name);
    assert.equal(back.revision.revision, 3);
    assert.equal((await list('a-')).length, 2);
  });

  test('a name taken by other data raises the collision count', async () => {
    const data = canonicalJson(templatePatch(template('one')));
    const taken = revisionName('b', revisionHash(data, 0));
    const squatter = { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: taken, ownerReferences: [refTo('b')] }, data: { other: true }, revision: 7 };
    assert.equal((await api.request('POST', '/apis/apps/v1/namespaces/default/controllerrevisions', { body: squatter })).status, 201);
    const result = await ensureUpdateRevision(connected.client, owner('b', 'one'), refTo('b'), []);
    assert.equal(result.collisionCount, 1);
    assert.equal(result.revision.metadata.name, revisionName('b', revisionHash(data, 1)));
  });
});
