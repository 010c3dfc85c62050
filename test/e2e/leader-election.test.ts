/**
 * e2e: two `k8ts server`s on one real etcd run one copy of the controller manager
 * and of the scheduler between them. The holder of the kube-system/kube-controller-manager
 * (kube-scheduler) Lease runs it, the other waits; a ReplicaSet gets exactly its replicas (two copies would race and
 * create twice); once the leader stops, the other server takes the Lease over and its
 * controllers work.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bindKubectl, type BoundKubectl } from '../support/boundKubectl.js';
import { startCluster, type TestCluster } from '../support/cluster.js';
import { startEtcd, type TestEtcd } from '../support/etcd.js';
import { pollUntil } from '../support/poll.js';
import { listManifest } from '../support/manifests.js';

const LEADING = /leading kube-controller-manager as (\S+)/;
const SCHEDULING = /leading kube-scheduler as (\S+)/;

const replicaSet = (name: string, replicas: number) => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image: 'busybox' }] } },
  },
});

describe('leader election: two servers on one etcd', () => {
  let etcd: TestEtcd;
  const servers: TestCluster[] = [];
  const kubectlOf = new Map<TestCluster, BoundKubectl>();

  before(async () => {
    etcd = await startEtcd();
    // No kubelets: both would register the same node; the controllers are what is shared.
    for (let i = 0; i < 2; i++) {
      const server = await startCluster(['--datastore-endpoint', etcd.endpoint, '--disable', 'kubelet']);
      servers.push(server);
      kubectlOf.set(server, bindKubectl(() => server, 'kubectl'));
    }
  });
  after(async () => {
    for (const server of servers) await server.stop();
    await etcd?.stop();
  });

  const leaseHolder = async (k: BoundKubectl, lease = 'kube-controller-manager'): Promise<string | undefined> =>
    (await k.run(['get', 'lease', '-n', 'kube-system', lease, '-o', 'jsonpath={.spec.holderIdentity}'])).stdout.trim() || undefined;

  /** Pod ADDED events of `app` seen by a watch from before the ReplicaSet exists until `replicas` pods exist and a few more seconds pass. */
  const podsCreatedFor = async (k: BoundKubectl, name: string, replicas: number): Promise<number> => {
    const watch = k.run(['get', 'pods', '-l', `app=${name}`, '--watch-only', '--output-watch-events', '-o', 'jsonpath={.type} {.object.metadata.name}{"\\n"}', '--request-timeout=10s']);
    await new Promise((r) => setTimeout(r, 1000));
    await k.ok(['apply', '-f', '-'], { input: listManifest([replicaSet(name, replicas)]) });
    await pollUntil(`${replicas} pods of ${name}`, async () => {
      const names = (await k.ok(['get', 'pods', '-l', `app=${name}`, '-o', 'name'])).split('\n').filter(Boolean);
      return names.length === replicas ? true : undefined;
    });
    const out = (await watch).stdout;
    return new Set(out.split('\n').filter((line) => line.startsWith('ADDED ')).map((line) => line.slice(6))).size;
  };

  test('exactly one server leads the controller manager; a ReplicaSet gets exactly its replicas', async () => {
    const k = kubectlOf.get(servers[1]!)!;
    const holder = await pollUntil('a controller-manager lease holder', () => leaseHolder(k));
    const leaders = servers.filter((s) => LEADING.exec(s.output())?.[1] === holder);
    assert.equal(leaders.length, 1, servers.map((s) => s.output()).join('\n----\n'));
    assert.equal(servers.filter((s) => LEADING.test(s.output())).length, 1);
    const scheduler = await pollUntil('a scheduler lease holder', () => leaseHolder(k, 'kube-scheduler'));
    assert.equal(servers.filter((s) => SCHEDULING.exec(s.output())?.[1] === scheduler).length, 1);
    assert.equal(servers.filter((s) => SCHEDULING.test(s.output())).length, 1);
    assert.equal(await podsCreatedFor(k, 'first', 8), 8);
  });

  test('when the leader stops, the other server takes the lease over and runs the controllers', async () => {
    const leader = servers.find((s) => LEADING.test(s.output()))!;
    const follower = servers.find((s) => s !== leader)!;
    const k = kubectlOf.get(follower)!;
    const before = await leaseHolder(k);
    await leader.stop();
    const holder = await pollUntil('the follower holding the lease', async () => {
      const current = await leaseHolder(k);
      return current !== undefined && current !== before && LEADING.exec(follower.output())?.[1] === current ? current : undefined;
    }, 40_000);
    assert.ok(holder);
    assert.equal(await podsCreatedFor(k, 'second', 3), 3);
  });
});
