/**
 * The namespace controller against a real API server (in process, memory store):
 * `sync` empties deleted namespaces, records upstream's deletion conditions, waits
 * for content that is still going away and releases the `kubernetes` finalizer; the
 * controller loop paces passes on its (fake) clock.
 */
import { setMaxListeners } from 'node:events';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Namespace } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../src/api/object.js';
import { isStatusReason } from '../../src/api/status.js';
import { FakeClock, GroupDiscoveryFailedError, HttpsTransport, InformerFactory, RestClient, serverPreferredResources } from '../../src/client/index.js';
import type { ResourceTarget, SharedInformer } from '../../src/client/index.js';
import type { DiscoverResources } from '../../src/controllers/namespace/namespaceContent.js';
import { NamespaceController } from '../../src/controllers/namespace/namespaceController.js';
import type { NamespaceControllerOptions } from '../../src/controllers/namespace/namespaceController.js';
import { ResourcesRemainingError } from '../../src/controllers/namespace/namespaceDeleter.js';
import { startInProcessApi, type InProcessApi } from '../support/inProcessApi.js';
import { pollUntil } from '../support/poll.js';

type NamespaceObject = KubeObject & Namespace;

const NAMESPACES: ResourceTarget = { group: '', version: 'v1', resource: 'namespaces' };
const core = (resource: string, namespace: string): ResourceTarget => ({ group: '', version: 'v1', resource, namespace });
const apps = (resource: string, namespace: string): ResourceTarget => ({ group: 'apps', version: 'v1', resource, namespace });

/** A controller with its own client and informers over `api`, on a fake clock starting now. */
interface Harness {
  client: RestClient;
  clock: FakeClock;
  controller: NamespaceController;
  namespaces: SharedInformer<NamespaceObject>;
  logs: string[];
  stop(): Promise<void>;
}

async function harness(api: InProcessApi, options: NamespaceControllerOptions = {}): Promise<Harness> {
  const transport = new HttpsTransport({ server: api.url });
  const client = new RestClient(transport);
  const clock = new FakeClock(Date.now());
  const informers = new InformerFactory(client, { clock });
  const logs: string[] = [];
  const controller = new NamespaceController({ client, informers, clock, log: (m) => logs.push(m) }, options);
  const abort = new AbortController();
  informers.start(abort.signal);
  await informers.waitForCacheSync(abort.signal);
  return {
    client,
    clock,
    controller,
    namespaces: informers.informerFor<NamespaceObject>(NAMESPACES),
    logs,
    async stop() {
      abort.abort();
      await informers.stopped();
      transport.close();
    },
  };
}

/** A signal for `run`, shared by all of a pass's concurrent requests (as the controller manager's is). */
function runSignal(): AbortController {
  const abort = new AbortController();
  setMaxListeners(0, abort.signal);
  return abort;
}

/** Resolves once the controller's cache shows `name` being deleted. */
function seenDeleted(h: Harness, name: string): Promise<string> {
  return pollUntil(`${name} deleted in the cache`, async () => h.namespaces.lister.get(name)?.metadata.deletionTimestamp, 10_000, 20);
}

async function createNamespace(client: RestClient, name: string): Promise<void> {
  await client.create(NAMESPACES, { metadata: { name } });
}

async function deleteNamespaceAndWait(h: Harness, name: string): Promise<void> {
  await h.client.delete(NAMESPACES, name);
  await seenDeleted(h, name);
}

async function gone(client: RestClient, name: string): Promise<boolean> {
  try {
    await client.get(NAMESPACES, name);
    return false;
  } catch (err) {
    if (isStatusReason(err, 'NotFound')) return true;
    throw err;
  }
}

async function names(client: RestClient, target: ResourceTarget): Promise<string[]> {
  return (await client.list(target)).items.map((o) => o.metadata.name ?? '');
}

function conditionsOf(ns: NamespaceObject): Record<string, [string, string, string]> {
  return Object.fromEntries((ns.status?.conditions ?? []).map((c) => [c.type, [c.status, c.reason ?? '', c.message ?? '']]));
}

/** A pod bound to a node, so that deleting it is graceful (it lingers until the kubelet confirms). */
const boundPod = (name: string, graceSeconds: number) => ({
  metadata: { name },
  spec: { nodeName: 'node-a', terminationGracePeriodSeconds: graceSeconds, containers: [{ name: 'main', image: 'nginx:1.25' }] },
});

describe('namespace controller sync', () => {
  let api: InProcessApi;
  let h: Harness;
  before(async () => {
    api = await startInProcessApi();
    h = await harness(api);
  });
  after(async () => {
    await h.stop();
    await api.stop();
  });

  test('a namespace that is not being deleted is left alone, however often it is synced', async () => {
    await createNamespace(h.client, 'alive');
    await h.client.create(core('configmaps', 'alive'), { metadata: { name: 'keep' } });
    await pollUntil('alive cached', async () => h.namespaces.lister.get('alive'));
    await h.controller.sync('alive');
    await h.controller.sync('alive');
    const ns = await h.client.get<NamespaceObject>(NAMESPACES, 'alive');
    assert.equal(ns.status?.phase, 'Active');
    assert.equal(ns.status?.conditions, undefined);
    assert.deepEqual(await names(h.client, core('configmaps', 'alive')), ['keep']);
  });

  test('a deleted namespace is emptied of every kind of content and then released', async () => {
    const ns = 'doomed';
    await createNamespace(h.client, ns);
    await h.client.create(core('configmaps', ns), { metadata: { name: 'settings' }, data: { a: 'b' } });
    await h.client.create(core('secrets', ns), { metadata: { name: 'token' }, stringData: { t: 'x' } } as KubeObject);
    await h.client.create(core('serviceaccounts', ns), { metadata: { name: 'robot' } });
    await h.client.create(core('pods', ns), { metadata: { name: 'loose' }, spec: { containers: [{ name: 'main', image: 'nginx:1.25' }] } });
    await h.client.create(core('events', ns), {
      metadata: { name: 'loose.1' },
      involvedObject: { kind: 'Pod', namespace: ns, name: 'loose' },
      reason: 'Scheduled',
      message: 'waiting',
      type: 'Normal',
    } as KubeObject);
    await h.client.create(apps('deployments', ns), {
      metadata: { name: 'web' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'main', image: 'nginx:1.25' }] } } },
    });
    await deleteNamespaceAndWait(h, ns);

    await h.controller.sync(ns);
    assert.equal(await gone(h.client, ns), true);
    for (const target of [core('configmaps', ns), core('secrets', ns), core('serviceaccounts', ns), core('pods', ns), core('events', ns), apps('deployments', ns)]) {
      assert.deepEqual(await names(h.client, target), [], target.resource);
    }
    await h.controller.sync(ns);
    assert.deepEqual(h.logs, []);
  });

  test('content held by a finalizer keeps the namespace Terminating with conditions saying why, until released', async () => {
    const ns = 'held';
    await createNamespace(h.client, ns);
    await h.client.create(core('configmaps', ns), { metadata: { name: 'pinned', finalizers: ['example.com/hold'] } });
    await h.client.create(core('configmaps', ns), { metadata: { name: 'plain' } });
    await deleteNamespaceAndWait(h, ns);

    const err = await h.controller.sync(ns).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof ResourcesRemainingError, String(err));
    assert.equal(err.estimateSeconds, 15);
    assert.equal(err.message, 'some content remains in the namespace, estimate 15 seconds before it is removed');
    const held = await h.client.get<NamespaceObject>(NAMESPACES, ns);
    assert.equal(held.status?.phase, 'Terminating');
    assert.deepEqual(held.spec?.finalizers, ['kubernetes']);
    assert.deepEqual(conditionsOf(held), {
      NamespaceDeletionDiscoveryFailure: ['False', 'ResourcesDiscovered', 'All resources successfully discovered'],
      NamespaceDeletionGroupVersionParsingFailure: ['False', 'ParsedGroupVersions', 'All legacy kube types successfully parsed'],
      NamespaceDeletionContentFailure: ['False', 'ContentDeleted', 'All content successfully deleted, may be waiting on finalization'],
      NamespaceContentRemaining: ['True', 'SomeResourcesRemain', 'Some resources are remaining: configmaps. has 1 resource instances'],
      NamespaceFinalizersRemaining: ['True', 'SomeFinalizersRemain', 'Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances'],
    });
    assert.deepEqual(await names(h.client, core('configmaps', ns)), ['pinned']);

    await h.client.patch(core('configmaps', ns), 'pinned', 'merge', { metadata: { finalizers: null } });
    await h.controller.sync(ns);
    assert.equal(await gone(h.client, ns), true);
  });

  test('a pod terminating gracefully is waited for during its grace period, then reported as stuck', async () => {
    const ns = 'graceful';
    await createNamespace(h.client, ns);
    await h.client.create(core('pods', ns), boundPod('slow', 20));
    await deleteNamespaceAndWait(h, ns);

    const waiting = await h.controller.sync(ns).then(() => undefined, (e: unknown) => e);
    assert.ok(waiting instanceof ResourcesRemainingError, String(waiting));
    assert.equal(waiting.estimateSeconds, 20);
    const pod = await h.client.get(core('pods', ns), 'slow');
    assert.ok(pod.metadata.deletionTimestamp, 'the pod is being deleted gracefully');

    // The server stamped the deletion with the real time: move the fake clock to 21 s past it.
    const deletedAt = Date.parse((await h.client.get(NAMESPACES, ns)).metadata.deletionTimestamp ?? '');
    h.clock.step(Math.max(0, deletedAt + 21_000 - h.clock.now()));
    await assert.rejects(h.controller.sync(ns), { message: 'unexpected items still remain in namespace: graceful for gvr: /v1, Resource=pods' });
    const stuck = conditionsOf(await h.client.get<NamespaceObject>(NAMESPACES, ns));
    assert.deepEqual(stuck.NamespaceDeletionContentFailure, [
      'True',
      'ContentDeletionFailed',
      'Failed to delete all resource types, 1 remaining: unexpected items still remain in namespace: graceful for gvr: /v1, Resource=pods',
    ]);
    assert.deepEqual(stuck.NamespaceContentRemaining, ['True', 'SomeResourcesRemain', 'Some resources are remaining: pods. has 1 resource instances']);

    // What the kubelet does once the containers stopped.
    await h.client.delete(core('pods', ns), 'slow', { gracePeriodSeconds: 0 });
    await h.controller.sync(ns);
    assert.equal(await gone(h.client, ns), true);
  });
});

describe('namespace controller sync with discovery problems', () => {
  let api: InProcessApi;
  before(async () => {
    api = await startInProcessApi();
  });
  after(() => api.stop());

  test('a group that cannot be discovered is recorded and fails the pass; what was discovered is deleted anyway', async () => {
    const ref: { client?: RestClient } = {};
    const discover: DiscoverResources = async (signal) => {
      const found = await serverPreferredResources(ref.client!, signal);
      return { lists: found.lists, failure: new GroupDiscoveryFailedError(new Map([['metrics.k8s.io/v1beta1', new Error('the server is currently unable to handle the request')]])) };
    };
    const h = await harness(api, { discover });
    ref.client = h.client;
    try {
      await createNamespace(h.client, 'partial');
      await h.client.create(core('configmaps', 'partial'), { metadata: { name: 'c' } });
      await deleteNamespaceAndWait(h, 'partial');
      await assert.rejects(h.controller.sync('partial'), {
        message: 'unable to retrieve the complete list of server APIs: metrics.k8s.io/v1beta1: the server is currently unable to handle the request',
      });
      const ns = await h.client.get<NamespaceObject>(NAMESPACES, 'partial');
      assert.deepEqual(conditionsOf(ns).NamespaceDeletionDiscoveryFailure, [
        'True',
        'DiscoveryFailed',
        'Discovery failed for some groups, 1 failing: unable to retrieve the complete list of server APIs: metrics.k8s.io/v1beta1: the server is currently unable to handle the request',
      ]);
      assert.deepEqual(ns.spec?.finalizers, ['kubernetes']);
      assert.deepEqual(await names(h.client, core('configmaps', 'partial')), []);
    } finally {
      await h.stop();
    }
  });
});

describe('namespace controller loop', () => {
  let api: InProcessApi;
  before(async () => {
    api = await startInProcessApi();
  });
  after(() => api.stop());

  test('a deleted namespace is processed once the deletion grace period has passed', async () => {
    const h = await harness(api);
    const abort = runSignal();
    const running = h.controller.run(abort.signal);
    try {
      await createNamespace(h.client, 'later');
      await deleteNamespaceAndWait(h, 'later');
      await h.clock.advance(4_900);
      assert.equal(await gone(h.client, 'later'), false, 'not before 5 s');
      await h.clock.advance(200);
      await pollUntil('later removed', async () => ((await gone(h.client, 'later')) ? true : undefined), 10_000, 20);
    } finally {
      abort.abort();
      await running;
      await h.stop();
    }
    assert.equal(h.clock.pendingTimers(), 0, 'no timer left behind');
  });

  test('a failed pass is retried with backoff', async () => {
    let failures = 1;
    const ref: { client?: RestClient } = {};
    const discover: DiscoverResources = async (signal) => {
      if (failures-- > 0) throw new Error('discovery is down');
      return serverPreferredResources(ref.client!, signal);
    };
    const h = await harness(api, { discover });
    ref.client = h.client;
    const abort = runSignal();
    const running = h.controller.run(abort.signal);
    try {
      await createNamespace(h.client, 'retried');
      await deleteNamespaceAndWait(h, 'retried');
      await h.clock.advance(5_000);
      await pollUntil('the failure logged', async () => (h.logs.length > 0 ? true : undefined), 10_000, 20);
      assert.deepEqual(h.logs, ['syncing retried failed: discovery is down']);
      const failed = await h.client.get<NamespaceObject>(NAMESPACES, 'retried');
      assert.deepEqual(conditionsOf(failed).NamespaceDeletionDiscoveryFailure, ['True', 'DiscoveryFailed', 'discovery is down']);
      // The retry comes from the backoff (5 ms), well before the status change's own event would (5 s).
      await h.clock.advance(10);
      await pollUntil('retried removed', async () => ((await gone(h.client, 'retried')) ? true : undefined), 10_000, 20);
    } finally {
      abort.abort();
      await running;
      await h.stop();
    }
  });
});
