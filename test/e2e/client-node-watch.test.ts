/**
 * e2e: watching a real `k8ts server` with the official JavaScript client
 * (@kubernetes/client-node 1.4): informer callbacks, and both ways a client-node user
 * survives an API server restart: a raw Watch re-established from the last
 * resourceVersion it saw, and an informer restarted from its error callback.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CoreV1Api, PatchStrategy, Watch, makeInformer, setHeaderOptions } from '@kubernetes/client-node';
import type { Informer, KubeConfig, ObjectCache, V1ConfigMap } from '@kubernetes/client-node';
import type { TestCluster } from '../support/cluster.js';
import { startCluster } from '../support/cluster.js';
import { eventually, kubeConfigFor } from '../support/clientNode.js';

/** One watch event as the client delivered it. */
interface SeenEvent {
  type: string;
  name: string;
  resourceVersion: string;
  data?: Record<string, string>;
}

/**
 * A raw `Watch` kept alive the way client-node users write it: when the done callback
 * fires (disconnect or error), watch again from the last resourceVersion seen,
 * retrying every 100 ms while the server is away. Reconnecting can be held, so a test
 * can make changes while the client is certainly disconnected.
 */
class ResumingWatch {
  readonly events: SeenEvent[] = [];
  /** Errors the done callback reported (null disconnects are counted in `disconnects`). */
  readonly errors: unknown[] = [];
  disconnects = 0;
  connects = 0;
  /** Watch ERROR events with code 410: the server could not resume from our resourceVersion. */
  expired = 0;
  private controller: AbortController | undefined;
  private retry: NodeJS.Timeout | undefined;
  private stopped = false;
  private held = false;
  private waitingForRelease = false;

  constructor(
    private readonly watch: Watch,
    private readonly path: string,
    public lastResourceVersion: string,
  ) {}

  /** Starts watching from `lastResourceVersion`. */
  async start(): Promise<void> {
    if (this.stopped) return;
    this.connects++;
    this.controller = await this.watch.watch(
      this.path,
      { resourceVersion: this.lastResourceVersion, allowWatchBookmarks: true },
      (type: string, object: V1ConfigMap & { code?: number }) => this.onEvent(type, object),
      (error: unknown) => this.onDone(error),
    );
  }

  /** From now on the done callback does not reconnect, until `release`. */
  hold(): void {
    this.held = true;
  }

  /** Reconnects now if the done callback fired while held; then reconnects as usual. */
  async release(): Promise<void> {
    this.held = false;
    if (!this.waitingForRelease) return;
    this.waitingForRelease = false;
    await this.start();
  }

  /** How often the done callback fired, for any reason. */
  get doneCalls(): number {
    return this.disconnects + this.errors.length;
  }

  /** Stops for good: aborts the request and cancels any pending reconnect. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.retry);
    this.controller?.abort();
  }

  private onEvent(type: string, object: V1ConfigMap & { code?: number }): void {
    if (type === 'ERROR') {
      if (object.code === 410) this.expired++;
      return;
    }
    const resourceVersion = object.metadata?.resourceVersion ?? '';
    this.lastResourceVersion = resourceVersion;
    if (type === 'BOOKMARK') return;
    const seen: SeenEvent = { type, name: object.metadata?.name ?? '', resourceVersion };
    if (object.data !== undefined) seen.data = object.data;
    this.events.push(seen);
  }

  private onDone(error: unknown): void {
    if (this.stopped) return;
    if (error === null || error === undefined) this.disconnects++;
    else this.errors.push(error);
    if (this.held) this.waitingForRelease = true;
    else this.retry = setTimeout(() => void this.start(), 100);
  }
}

/**
 * An informer restarted from its 'error' callback, which is how client-node documents
 * recovering from a lost connection (its ListWatch re-watches from the last
 * resourceVersion by itself only when the stream ends cleanly).
 */
function restartingInformer(config: KubeConfig, core: CoreV1Api, namespace: string): { informer: Informer<V1ConfigMap> & ObjectCache<V1ConfigMap>; errors: unknown[]; stop(): Promise<void> } {
  const informer = makeInformer<V1ConfigMap>(config, `/api/v1/namespaces/${namespace}/configmaps`, () => core.listNamespacedConfigMap({ namespace }));
  const errors: unknown[] = [];
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  informer.on('error', (error: unknown) => {
    errors.push(error);
    if (!stopped) retry = setTimeout(() => void informer.start(), 100);
  });
  return {
    informer,
    errors,
    async stop() {
      stopped = true;
      clearTimeout(retry);
      await informer.stop();
    },
  };
}

const configMap = (name: string, data: Record<string, string>): V1ConfigMap => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });

/** Leaves out kube-root-ca.crt, which the root-CA publisher keeps in every namespace (as upstream's). */
const ownConfigMap = (cm: V1ConfigMap): boolean => cm.metadata?.name !== 'kube-root-ca.crt';

describe('@kubernetes/client-node: informers and watches', () => {
  let cluster: TestCluster;
  let config: KubeConfig;
  let core: CoreV1Api;
  const cleanups: (() => Promise<void> | void)[] = [];

  before(async () => {
    cluster = await startCluster();
    config = kubeConfigFor(cluster);
    core = config.makeApiClient(CoreV1Api);
    for (const name of ['informed', 'watched', 'survivor']) {
      await core.createNamespace({ body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } });
    }
  });
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    await cluster?.stop();
  });

  test('an informer calls add, update and delete for changes the test makes', async () => {
    const namespace = 'informed';
    await core.createNamespacedConfigMap({ namespace, body: configMap('existing', { v: '0' }) });
    const { informer, errors, stop } = restartingInformer(config, core, namespace);
    cleanups.push(stop);
    const seen: string[] = [];
    informer.on('add', (cm) => ownConfigMap(cm) && seen.push(`add ${cm.metadata?.name} ${cm.data?.v}`));
    informer.on('update', (cm) => ownConfigMap(cm) && seen.push(`update ${cm.metadata?.name} ${cm.data?.v}`));
    informer.on('delete', (cm) => ownConfigMap(cm) && seen.push(`delete ${cm.metadata?.name}`));
    await informer.start();
    await eventually('the initial list to be added', () => (seen.includes('add existing 0') ? true : undefined));
    assert.equal(informer.get('existing', namespace)?.data?.v, '0');

    await core.createNamespacedConfigMap({ namespace, body: configMap('fresh', { v: '1' }) });
    await eventually('add for a created ConfigMap', () => (seen.includes('add fresh 1') ? true : undefined));
    await core.patchNamespacedConfigMap({ namespace, name: 'fresh', body: { data: { v: '2' } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    await eventually('update for a patched ConfigMap', () => (seen.includes('update fresh 2') ? true : undefined));
    await core.replaceNamespacedConfigMap({ namespace, name: 'existing', body: { ...(await core.readNamespacedConfigMap({ namespace, name: 'existing' })), data: { v: '3' } } });
    await eventually('update for a replaced ConfigMap', () => (seen.includes('update existing 3') ? true : undefined));
    await core.deleteNamespacedConfigMap({ namespace, name: 'fresh' });
    await eventually('delete for a deleted ConfigMap', () => (seen.includes('delete fresh') ? true : undefined));

    assert.deepEqual(seen, ['add existing 0', 'add fresh 1', 'update fresh 2', 'update existing 3', 'delete fresh']);
    assert.equal(informer.get('fresh', namespace), undefined);
    assert.deepEqual(informer.list(namespace).filter(ownConfigMap).map((cm) => cm.metadata?.name), ['existing']);
    assert.deepEqual(errors, []);
  });

  test('a raw Watch and an informer both carry on after the server restarts', async () => {
    const watchedNs = 'watched';
    const informedNs = 'survivor';
    await core.createNamespacedConfigMap({ namespace: informedNs, body: configMap('before', { v: '1' }) });
    const list = await core.listNamespacedConfigMap({ namespace: watchedNs });
    const listedVersion = list.metadata?.resourceVersion ?? '';
    assert.match(listedVersion, /^\d+$/);

    const watch = new ResumingWatch(new Watch(config), `/api/v1/namespaces/${watchedNs}/configmaps`, listedVersion);
    cleanups.push(() => watch.stop());
    await watch.start();
    const { informer, stop } = restartingInformer(config, core, informedNs);
    cleanups.push(stop);
    const informed: string[] = [];
    informer.on('add', (cm) => ownConfigMap(cm) && informed.push(`add ${cm.metadata?.name}`));
    informer.on('update', (cm) => ownConfigMap(cm) && informed.push(`update ${cm.metadata?.name} ${cm.data?.v}`));
    informer.on('delete', (cm) => ownConfigMap(cm) && informed.push(`delete ${cm.metadata?.name}`));
    await informer.start();
    await eventually('the informer to list "before"', () => (informed.includes('add before') ? true : undefined));

    await core.createNamespacedConfigMap({ namespace: watchedNs, body: configMap('pre-restart', { v: '1' }) });
    const preRestart = await eventually('the watch to see "pre-restart"', () => watch.events.find((e) => e.name === 'pre-restart'));
    assert.equal(preRestart.type, 'ADDED');
    const connectsBefore = watch.connects;

    watch.hold();
    await cluster.restart();
    await eventually('the watch done callback after the server went away', () => (watch.doneCalls > 0 ? true : undefined));
    const whileAway = await core.createNamespacedConfigMap({ namespace: watchedNs, body: configMap('while-away', { v: '2' }) });
    await watch.release();
    const created = await core.createNamespacedConfigMap({ namespace: watchedNs, body: configMap('post-restart', { v: '3' }) });
    const postRestart = await eventually('the watch to see "post-restart"', () => watch.events.find((e) => e.name === 'post-restart'));
    assert.equal(postRestart.resourceVersion, created.metadata?.resourceVersion);
    assert.equal(watch.connects, connectsBefore + 1, 're-established once, from the last resourceVersion seen');
    assert.equal(watch.expired, 0, 'the server resumed from the last resourceVersion without 410 Gone');
    assert.deepEqual(
      watch.events.map((e) => `${e.type} ${e.name} ${e.resourceVersion}`),
      [`ADDED pre-restart ${preRestart.resourceVersion}`, `ADDED while-away ${whileAway.metadata?.resourceVersion}`, `ADDED post-restart ${postRestart.resourceVersion}`],
      'resuming from the last resourceVersion neither replays nor drops events, including one made while disconnected',
    );

    await core.createNamespacedConfigMap({ namespace: informedNs, body: configMap('after', { v: '1' }) });
    await core.patchNamespacedConfigMap({ namespace: informedNs, name: 'before', body: { data: { v: '2' } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    await core.deleteNamespacedConfigMap({ namespace: informedNs, name: 'after' });
    await eventually('the informer to see changes made after the restart', () => (informed.includes('delete after') ? true : undefined));
    assert.deepEqual(informed, ['add before', 'add after', 'update before 2', 'delete after']);
    assert.equal(informer.get('before', informedNs)?.data?.v, '2');
  });
});
