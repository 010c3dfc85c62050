/**
 * The garbage collector against a real API server (in process, memory store):
 * dependents of deleted owners go (background), owners deleted in the foreground wait
 * for their blocking dependents, orphaning strips owner references, and dangling
 * references are cleaned.
 */
import { setMaxListeners } from 'node:events';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import type { KubeObject } from '../../src/api/object.js';
import { isStatusReason } from '../../src/api/status.js';
import { HttpsTransport, InformerFactory, RestClient, realClock } from '../../src/client/index.js';
import type { ResourceTarget } from '../../src/client/index.js';
import { GarbageCollector } from '../../src/controllers/garbagecollector/garbageCollector.js';
import { startInProcessApi, type InProcessApi } from '../support/inProcessApi.js';
import { pollUntil } from '../support/poll.js';

const NS = 'default';
const CONFIGMAPS: ResourceTarget = { group: '', version: 'v1', resource: 'configmaps', namespace: NS };
const SECRETS: ResourceTarget = { group: '', version: 'v1', resource: 'secrets', namespace: NS };

let api: InProcessApi;
let client: RestClient;
let transport: HttpsTransport;
const abort = new AbortController();
let running: Promise<void>;
let informers: InformerFactory;
const logs: string[] = [];

before(async () => {
  api = await startInProcessApi();
  transport = new HttpsTransport({ server: api.url });
  client = new RestClient(transport);
  setMaxListeners(0, abort.signal);
  informers = new InformerFactory(client, { clock: realClock });
  const gc = new GarbageCollector({ client, informers, clock: realClock, log: (m) => logs.push(m) }, { workers: 2 });
  informers.start(abort.signal);
  running = gc.run(abort.signal);
});

after(async () => {
  abort.abort();
  await running;
  await informers.stopped();
  transport.close();
  await api.stop();
});

function ref(owner: KubeObject, extra: Partial<OwnerReference> = {}): OwnerReference {
  return { apiVersion: 'v1', kind: 'ConfigMap', name: owner.metadata.name ?? '', uid: owner.metadata.uid ?? '', ...extra };
}

async function configMap(name: string, owners: OwnerReference[] = [], finalizers?: string[]): Promise<KubeObject> {
  return client.create(CONFIGMAPS, { metadata: { name, ownerReferences: owners, ...(finalizers ? { finalizers } : {}) } });
}

async function exists(target: ResourceTarget, name: string): Promise<KubeObject | undefined> {
  try {
    return await client.get(target, name);
  } catch (err) {
    if (isStatusReason(err, 'NotFound')) return undefined;
    throw err;
  }
}

function gone(target: ResourceTarget, name: string): Promise<true> {
  return pollUntil(`${name} to be deleted`, async () => ((await exists(target, name)) === undefined ? true : undefined), 10_000, 50);
}

describe('garbage collector', () => {
  test('deleting an owner in the background deletes its dependents, across resources', async () => {
    const owner = await configMap('bg-owner');
    await configMap('bg-dep', [ref(owner)]);
    await client.create(SECRETS, { metadata: { name: 'bg-secret', ownerReferences: [ref(owner)] } });
    await client.delete(CONFIGMAPS, 'bg-owner', { propagationPolicy: 'Background' });
    await gone(CONFIGMAPS, 'bg-dep');
    await gone(SECRETS, 'bg-secret');
  });

  test('a dependent with another live owner only loses the reference to the deleted one', async () => {
    const a = await configMap('two-a');
    const b = await configMap('two-b');
    await configMap('two-dep', [ref(a), ref(b)]);
    await client.delete(CONFIGMAPS, 'two-a');
    const dep = await pollUntil('reference to two-a removed', async () => {
      const d = await exists(CONFIGMAPS, 'two-dep');
      return d?.metadata.ownerReferences?.length === 1 ? d : undefined;
    }, 10_000, 50);
    assert.equal(dep.metadata.ownerReferences?.[0]?.name, 'two-b');
  });

  test('a dangling reference (owner never existed or has another uid) gets the dependent deleted', async () => {
    await configMap('dangling-dep', [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'never', uid: '00000000-0000-0000-0000-000000000001' }]);
    await gone(CONFIGMAPS, 'dangling-dep');
    await configMap('same-name');
    await configMap('stale-uid-dep', [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'same-name', uid: '00000000-0000-0000-0000-000000000002' }]);
    await gone(CONFIGMAPS, 'stale-uid-dep');
    assert.ok(await exists(CONFIGMAPS, 'same-name'), 'the namesake with another uid stays');
  });

  test('orphan: dependents stay without the owner reference, then the owner goes', async () => {
    const owner = await configMap('orphan-owner');
    const other = await configMap('orphan-other');
    await configMap('orphan-dep', [ref(owner), ref(other)]);
    await configMap('orphan-dep2', [ref(owner)]);
    await client.delete(CONFIGMAPS, 'orphan-owner', { propagationPolicy: 'Orphan' });
    await gone(CONFIGMAPS, 'orphan-owner');
    assert.deepEqual((await exists(CONFIGMAPS, 'orphan-dep'))?.metadata.ownerReferences?.map((r) => r.name), ['orphan-other']);
    assert.equal((await exists(CONFIGMAPS, 'orphan-dep2'))?.metadata.ownerReferences, undefined);
  });

  test('foreground: the owner waits for blocking dependents, then goes', async () => {
    const owner = await configMap('fg-owner');
    await configMap('fg-held', [ref(owner, { blockOwnerDeletion: true })], ['example.com/hold']);
    await configMap('fg-free', [ref(owner, { blockOwnerDeletion: true })]);
    await client.delete(CONFIGMAPS, 'fg-owner', { propagationPolicy: 'Foreground' });
    await gone(CONFIGMAPS, 'fg-free');
    const held = await pollUntil('fg-held being deleted', async () => {
      const d = await exists(CONFIGMAPS, 'fg-held');
      return d?.metadata.deletionTimestamp ? d : undefined;
    }, 10_000, 50);
    const waiting = await exists(CONFIGMAPS, 'fg-owner');
    assert.deepEqual(waiting?.metadata.finalizers, ['foregroundDeletion']);
    await client.patch(CONFIGMAPS, 'fg-held', 'merge', { metadata: { finalizers: null, resourceVersion: held.metadata.resourceVersion } });
    await gone(CONFIGMAPS, 'fg-held');
    await gone(CONFIGMAPS, 'fg-owner');
  });

  test('foreground deletion of a dependent that is itself an owner cascades down', async () => {
    const top = await configMap('chain-top');
    const middle = await configMap('chain-middle', [ref(top, { blockOwnerDeletion: true })]);
    await configMap('chain-bottom', [ref(middle, { blockOwnerDeletion: true })]);
    await client.delete(CONFIGMAPS, 'chain-top', { propagationPolicy: 'Foreground' });
    await gone(CONFIGMAPS, 'chain-bottom');
    await gone(CONFIGMAPS, 'chain-middle');
    await gone(CONFIGMAPS, 'chain-top');
  });

  test('no errors were logged', () => {
    assert.deepEqual(logs.filter((l) => !l.includes('Conflict') && !l.includes('conflict')), []);
  });
});
