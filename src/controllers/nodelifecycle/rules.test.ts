/**
 * The node lifecycle rules without an API: toleration matching and toleration time,
 * the taints conditions call for, zone states and their taint rates, the taint
 * queue's pacing, and how silence turns into Unknown conditions.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { NodeCondition } from 'kubernetes-types/core/v1.js';
import { FakeClock } from '../../client/index.js';
import { observeHealth, unknownConditions } from './nodeHealth.js';
import { swappedTaints, wantedNoScheduleTaints, type NodeObject } from './taints.js';
import { toleratesTaint } from '../../api/tolerations.js';
import { matchingTolerations, minTolerationMs } from './tolerations.js';
import { ZoneTaintQueue, zoneKeyOf, zoneStateOf, zoneTaintRate } from './zones.js';

const UNREACHABLE = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' };
const ready = (status: string): NodeCondition => ({ type: 'Ready', status });

function node(fields: Partial<NodeObject> = {}): NodeObject {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n', creationTimestamp: '2026-01-01T00:00:00Z' }, ...fields };
}

describe('tolerations', () => {
  test('key, operator, value and effect decide whether a taint is tolerated', () => {
    assert.ok(toleratesTaint({ key: UNREACHABLE.key, operator: 'Exists', effect: 'NoExecute' }, UNREACHABLE));
    assert.ok(toleratesTaint({ operator: 'Exists' }, UNREACHABLE), 'empty key with Exists tolerates everything');
    assert.ok(!toleratesTaint({ key: UNREACHABLE.key, operator: 'Exists', effect: 'NoSchedule' }, UNREACHABLE));
    assert.ok(toleratesTaint({ key: 'k', value: 'v' }, { key: 'k', value: 'v', effect: 'NoExecute' }), 'Equal is the default operator');
    assert.ok(!toleratesTaint({ key: 'k', operator: 'Equal', value: 'w' }, { key: 'k', value: 'v', effect: 'NoExecute' }));
  });

  test('the time a pod may stay is the smallest tolerationSeconds of the tolerations used; none = forever', () => {
    const taints = [UNREACHABLE, { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }];
    const { allTolerated, used } = matchingTolerations(taints, [
      { key: UNREACHABLE.key, operator: 'Exists', tolerationSeconds: 30 },
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', tolerationSeconds: 10 },
    ]);
    assert.ok(allTolerated);
    assert.equal(minTolerationMs(used), 10_000);
    assert.equal(minTolerationMs([{ operator: 'Exists' }]), undefined);
    assert.equal(minTolerationMs([{ operator: 'Exists', tolerationSeconds: -5 }]), 0);
    assert.equal(matchingTolerations(taints, [{ key: UNREACHABLE.key, operator: 'Exists' }]).allTolerated, false);
  });
});

describe('taints', () => {
  test('conditions and spec.unschedulable call for NoSchedule taints', () => {
    const wanted = wantedNoScheduleTaints(node({
      spec: { unschedulable: true },
      status: { conditions: [ready('Unknown'), { type: 'MemoryPressure', status: 'True' }, { type: 'NetworkUnavailable', status: 'True' }, { type: 'DiskPressure', status: 'False' }] },
    }));
    assert.deepEqual(wanted.map((t) => t.key), [
      'node.kubernetes.io/unreachable',
      'node.kubernetes.io/memory-pressure',
      'node.kubernetes.io/network-unavailable',
      'node.kubernetes.io/unschedulable',
    ]);
  });

  test('a swap keeps other taints, stamps the added ones and reports no change as undefined', () => {
    const own = { key: 'dedicated', value: 'x', effect: 'NoSchedule' };
    const tainted = node({ spec: { taints: [own, { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }] } });
    const swapped = swappedTaints(tainted, [UNREACHABLE], [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }], '2026-01-01T00:00:05Z');
    assert.deepEqual(swapped, [own, { ...UNREACHABLE, timeAdded: '2026-01-01T00:00:05Z' }]);
    assert.equal(swappedTaints(node({ spec: { taints: [own] } }), [], [UNREACHABLE], 'now'), undefined);
  });
});

describe('zones', () => {
  test('zone keys come from the region and zone labels', () => {
    assert.equal(zoneKeyOf(node()), '');
    assert.equal(zoneKeyOf(node({ metadata: { name: 'n', labels: { 'topology.kubernetes.io/zone': 'a' } } })), ':\u0000:a');
  });

  test('a zone is fully disrupted with no ready node, partially with more than two and 55 % not ready', () => {
    assert.equal(zoneStateOf([ready('Unknown'), undefined]), 'FullDisruption');
    assert.equal(zoneStateOf([ready('True'), ready('Unknown')]), 'Normal');
    assert.equal(zoneStateOf([ready('True'), ready('Unknown'), ready('False'), ready('Unknown')]), 'PartialDisruption');
    assert.equal(zoneTaintRate('PartialDisruption', 10), 0);
    assert.equal(zoneTaintRate('PartialDisruption', 51), 0.01);
    assert.equal(zoneTaintRate('Normal', 3), 0.1);
  });

  test('the taint queue takes one node at once, then one per 10 s; a failed one is kept', async () => {
    const clock = new FakeClock();
    const queue = new ZoneTaintQueue(clock);
    for (const name of ['a', 'b', 'c']) queue.add(name);
    const taken: string[] = [];
    const take = async (name: string): Promise<boolean> => {
      taken.push(name);
      return name !== 'b';
    };
    await queue.drain(take);
    assert.deepEqual(taken, ['a']);
    clock.step(10_000);
    await queue.drain(take);
    assert.deepEqual(taken, ['a', 'b']);
    clock.step(10_000);
    await queue.drain(take);
    clock.step(10_000);
    await queue.drain(take);
    assert.deepEqual(taken, ['a', 'b', 'c', 'b']);
    queue.setRate(0);
    clock.step(60_000);
    await queue.drain(take);
    assert.equal(taken.length, 4);
  });
});

describe('node health', () => {
  const at = (s: number): string => `2026-01-01T00:00:${String(s).padStart(2, '0')}Z`;
  const withReady = (heartbeat: string): NodeObject => node({ status: { conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: heartbeat, lastTransitionTime: at(0) }] } });

  test('the probe time moves with the Ready heartbeat and with the Lease renewal, not otherwise', () => {
    const first = observeHealth(undefined, withReady(at(0)), undefined, 1_000);
    assert.equal(first.probeTimestamp, 1_000);
    assert.equal(observeHealth(first, withReady(at(0)), undefined, 5_000).probeTimestamp, 1_000);
    assert.equal(observeHealth(first, withReady(at(4)), undefined, 5_000).probeTimestamp, 5_000);
    const lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'n' }, spec: { renewTime: '2026-01-01T00:00:07.000000Z' } };
    const renewed = observeHealth(first, withReady(at(0)), lease, 8_000);
    assert.equal(renewed.probeTimestamp, 8_000);
    assert.equal(observeHealth(renewed, withReady(at(0)), lease, 9_000).probeTimestamp, 8_000);
  });

  test('silence sets the kubelet conditions to Unknown and adds missing ones as never updated', () => {
    const conditions = unknownConditions([
      { type: 'Ready', status: 'True', reason: 'KubeletReady', lastTransitionTime: at(0) },
      { type: 'NetworkUnavailable', status: 'False' },
    ], at(50), at(0));
    const ready = conditions.find((c) => c.type === 'Ready');
    assert.deepEqual([ready?.status, ready?.reason, ready?.message, ready?.lastTransitionTime], ['Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.', at(50)]);
    assert.equal(conditions.find((c) => c.type === 'NetworkUnavailable')?.status, 'False');
    const memory = conditions.find((c) => c.type === 'MemoryPressure');
    assert.deepEqual([memory?.status, memory?.reason, memory?.message], ['Unknown', 'NodeStatusNeverUpdated', 'Kubelet never posted node status.']);
  });
});
