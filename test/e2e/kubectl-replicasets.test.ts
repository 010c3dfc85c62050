/**
 * e2e: ReplicaSets as a user meets them with the real kubectl against a real k8ts
 * server: a bare pod matching the selector is adopted, an applied ReplicaSet gets its
 * pods, `kubectl scale` removes the extra ones and a deleted pod is replaced.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bindKubectl } from '../support/boundKubectl.js';
import type { TestCluster } from '../support/cluster.js';
import { startCluster } from '../support/cluster.js';
import { pollUntil } from '../support/poll.js';

const REPLICA_SET = `
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: c
        image: busybox
`;

const BARE_POD = `
apiVersion: v1
kind: Pod
metadata:
  name: bare
  labels: {app: web}
spec:
  containers:
  - name: c
    image: busybox
`;

interface PodSummary {
  name: string;
  owner: string;
}

describe('kubectl: replicasets', () => {
  let cluster: TestCluster;
  const k = bindKubectl(() => cluster, 'kubectl');
  const pods = async (): Promise<PodSummary[]> => {
    const list = JSON.parse(await k.ok(['get', 'pods', '-l', 'app=web', '-o', 'json'])) as {
      items: { metadata: { name: string; deletionTimestamp?: string; ownerReferences?: { kind: string; name: string; controller?: boolean }[] } }[];
    };
    return list.items
      .filter((p) => p.metadata.deletionTimestamp === undefined)
      .map((p) => ({ name: p.metadata.name, owner: (p.metadata.ownerReferences ?? []).filter((r) => r.controller).map((r) => `${r.kind}/${r.name}`).join(',') }));
  };
  const podCount = (count: number): Promise<PodSummary[]> =>
    pollUntil(`${count} pods`, async () => {
      const now = await pods();
      return now.length === count ? now : undefined;
    });

  before(async () => {
    cluster = await startCluster();
  });
  after(async () => {
    await cluster?.stop();
  });

  test('adopt a bare pod, apply, scale, replace a deleted pod', async () => {
    // The bare pod comes first: adopting it then leaves no excess pod for the controller to remove.
    await k.ok(['apply', '-f', '-'], { input: BARE_POD });
    await k.ok(['apply', '-f', '-'], { input: REPLICA_SET });
    const three = await pollUntil('3 pods owned by the ReplicaSet', async () => {
      const now = await pods();
      return now.length === 3 && now.every((p) => p.owner === 'ReplicaSet/web') ? now : undefined;
    });
    assert.ok(three.some((p) => p.name === 'bare'), 'the bare pod was adopted');
    assert.equal(three.filter((p) => p.name.startsWith('web-')).length, 2, 'two pods were created for the rest');
    await pollUntil('rs status', async () => ((await k.ok(['get', 'rs', 'web', '-o', 'jsonpath={.status.replicas}'])) === '3' ? true : undefined));

    await k.ok(['scale', 'rs', 'web', '--replicas=1']);
    const [survivor] = await podCount(1);
    await k.ok(['delete', 'pod', survivor!.name, '--wait=false']);
    const [replacement] = await pollUntil('replacement', async () => {
      const now = await pods();
      return now.length === 1 && now[0]!.name !== survivor!.name ? now : undefined;
    });
    assert.equal(replacement!.owner, 'ReplicaSet/web');
  });
});
