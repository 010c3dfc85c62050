/**
 * e2e: StatefulSets as a user meets them with the real kubectl against a real k8ts
 * server (scheduler and kubelet on containerd): an OrderedReady set of 3 creates web-0,
 * web-1, web-2 each after the previous is Ready, `kubectl rollout status` waits for it,
 * a rolling update with a partition replaces only the pods at or above it, `rollout
 * history` lists both revisions and `rollout undo` returns to the first, scaling to 0
 * deletes highest first; a set with a volumeClaimTemplate creates its PVCs
 * www-web-0..2 (they stay Pending until storage exists, the pods are still created).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bindKubectl } from '../support/boundKubectl.js';
import type { TestCluster } from '../support/cluster.js';
import { startCluster } from '../support/cluster.js';
import { pollUntil } from '../support/poll.js';

const statefulSet = (extra: string): string => `
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  replicas: 3
  serviceName: web
  selector:
    matchLabels: {app: web}
${extra}
  template:
    metadata:
      labels: {app: web}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: c
        image: busybox
        imagePullPolicy: IfNotPresent
        command: [sleep, '3600']
`;

const CLAIM_TEMPLATE = `
  podManagementPolicy: Parallel
  volumeClaimTemplates:
  - metadata: {name: www}
    spec:
      accessModes: [ReadWriteOnce]
      resources: {requests: {storage: 1Gi}}
`;

interface PodView {
  name: string;
  created: string;
  readySince?: string;
  terminating: boolean;
  revision: string;
}

describe('kubectl: statefulsets', () => {
  let cluster: TestCluster;
  const k = bindKubectl(() => cluster, 'kubectl');
  const pods = async (namespace = 'default'): Promise<PodView[]> => {
    const list = JSON.parse(await k.ok(['get', 'pods', '-n', namespace, '-l', 'app=web', '-o', 'json'])) as {
      items: { metadata: { name: string; creationTimestamp: string; deletionTimestamp?: string; labels: Record<string, string> }; status?: { conditions?: { type: string; status: string; lastTransitionTime?: string }[] } }[];
    };
    return list.items
      .map((p) => {
        const ready = p.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'True');
        const view: PodView = { name: p.metadata.name, created: p.metadata.creationTimestamp, terminating: p.metadata.deletionTimestamp !== undefined, revision: p.metadata.labels['controller-revision-hash'] ?? '' };
        if (ready?.lastTransitionTime !== undefined) view.readySince = ready.lastTransitionTime;
        return view;
      })
      .sort((a, b) => a.name.localeCompare(b.name));
  };
  const jsonpath = (path: string): Promise<string> => k.ok(['get', 'sts', 'web', '-o', `jsonpath=${path}`]);

  before(async () => {
    cluster = await startCluster();
  });
  after(async () => {
    await cluster?.stop();
  });

  test('OrderedReady creates in order, rolls with a partition, undoes, and deletes in reverse order', async () => {
    await k.ok(['apply', '-f', '-'], { input: statefulSet('') });
    await k.ok(['rollout', 'status', 'sts/web', '--timeout=120s'], { timeoutMs: 130_000 });
    const created = await pods();
    assert.deepEqual(created.map((p) => p.name), ['web-0', 'web-1', 'web-2']);
    for (let i = 1; i < created.length; i++) {
      const previous = created[i - 1]!;
      assert.ok(previous.readySince !== undefined && previous.readySince <= created[i]!.created, `${created[i]!.name} was created after ${previous.name} was Ready`);
    }
    const firstRevision = await jsonpath('{.status.updateRevision}');
    assert.ok(created.every((p) => p.revision === firstRevision));
    assert.equal(await jsonpath('{.status.currentRevision}'), firstRevision);
    const revisions = await k.ok(['get', 'controllerrevisions', '-o', 'name']);
    assert.match(revisions, new RegExp(`controllerrevision.apps/${firstRevision}`));

    await k.ok(['patch', 'sts', 'web', '-p', '{"spec":{"updateStrategy":{"rollingUpdate":{"partition":2}}}}']);
    await k.ok(['set', 'env', 'sts/web', 'REVISION=2']);
    const partitioned = await k.ok(['rollout', 'status', 'sts/web', '--timeout=120s'], { timeoutMs: 130_000 });
    assert.match(partitioned, /partitioned roll out complete: 1 new pods have been updated/);
    const secondRevision = await jsonpath('{.status.updateRevision}');
    assert.notEqual(secondRevision, firstRevision);
    const afterPartition = await pods();
    assert.deepEqual(afterPartition.map((p) => p.revision), [firstRevision, firstRevision, secondRevision]);

    await k.ok(['patch', 'sts', 'web', '-p', '{"spec":{"updateStrategy":{"rollingUpdate":{"partition":0}}}}']);
    await k.ok(['rollout', 'status', 'sts/web', '--timeout=120s'], { timeoutMs: 130_000 });
    await pollUntil('current revision is the new one', async () => ((await jsonpath('{.status.currentRevision}')) === secondRevision ? true : undefined), 60_000);
    assert.ok((await pods()).every((p) => p.revision === secondRevision && !p.terminating));

    const history = await k.ok(['rollout', 'history', 'sts/web']);
    assert.match(history, /^1\s/m);
    assert.match(history, /^2\s/m);
    await k.ok(['rollout', 'undo', 'sts/web']);
    await k.ok(['rollout', 'status', 'sts/web', '--timeout=120s'], { timeoutMs: 130_000 });
    await pollUntil('rolled back to the first revision', async () => ((await jsonpath('{.status.currentRevision}')) === firstRevision ? true : undefined), 60_000);
    assert.ok((await pods()).every((p) => p.revision === firstRevision && !p.terminating));
    assert.equal(await jsonpath('{.spec.template.spec.containers[0].env}'), '');

    await k.ok(['scale', 'sts', 'web', '--replicas=0']);
    const goneOrder: string[] = [];
    await pollUntil(
      'all pods gone',
      async () => {
        const now = await pods();
        const leaving = ['web-2', 'web-1', 'web-0'].filter((name) => !goneOrder.includes(name) && !now.some((p) => p.name === name && !p.terminating));
        goneOrder.push(...leaving);
        const live = now.filter((p) => !p.terminating).map((p) => Number(p.name.slice('web-'.length)));
        const leavingOrdinals = now.filter((p) => p.terminating).map((p) => Number(p.name.slice('web-'.length)));
        for (const ordinal of leavingOrdinals) assert.ok(live.every((l) => l < ordinal), `web-${ordinal} is deleted while a higher ordinal is still running`);
        return now.length === 0 ? true : undefined;
      },
      90_000,
    );
    assert.deepEqual(goneOrder, ['web-2', 'web-1', 'web-0']);
  });

  test('volumeClaimTemplates create a claim per pod', async () => {
    await k.ok(['create', 'namespace', 'claims']);
    await k.ok(['apply', '-n', 'claims', '-f', '-'], { input: statefulSet(CLAIM_TEMPLATE) });
    const claims = await pollUntil('claims', async () => {
      const names = (await k.ok(['get', 'pvc', '-n', 'claims', '-o', 'jsonpath={.items[*].metadata.name}'])).split(' ').filter(Boolean).sort();
      return names.length === 3 ? names : undefined;
    });
    assert.deepEqual(claims, ['www-web-0', 'www-web-1', 'www-web-2']);
    await pollUntil('pods created', async () => ((await pods('claims')).length === 3 ? true : undefined));
    const volume = JSON.parse(await k.ok(['get', 'pod', 'web-1', '-n', 'claims', '-o', 'jsonpath={.spec.volumes[0]}'])) as unknown;
    assert.deepEqual(volume, { name: 'www', persistentVolumeClaim: { claimName: 'www-web-1' } });
    assert.equal(await k.ok(['get', 'pvc', 'www-web-0', '-n', 'claims', '-o', 'jsonpath={.status.phase}']), 'Pending');
  });
});
