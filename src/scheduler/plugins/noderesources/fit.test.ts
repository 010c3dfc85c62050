/**
 * NodeResourcesFit and NodeResourcesBalancedAllocation as pure functions over
 * NodeInfos: upstream reasons, the init-container and overhead rules, extended
 * resources, pod count, and the scoring strategies.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { CycleState } from '../../framework/cycleState.js';
import { NodeInfoImpl } from '../../framework/nodeInfo.js';
import { trackedPodInfo } from '../../framework/podInfo.js';
import { newBalancedAllocation } from './balancedAllocation.js';
import { newNodeResourcesFit } from './fit.js';

let uid = 0;
const container = (requests: Record<string, string>): Container => ({ name: `c${uid}`, image: 'busybox', resources: { requests } });
const pod = (containers: Container[], extra: Partial<Pod['spec']> = {}): Pod => ({ metadata: { name: `p${++uid}`, uid: `u${uid}` }, spec: { containers, ...extra } });

function nodeWith(allocatable: Record<string, string>, pods: Pod[] = []): NodeInfoImpl {
  const info = new NodeInfoImpl('n', { metadata: { name: 'n' }, status: { allocatable } });
  for (const p of pods) info.addPod(trackedPodInfo(p));
  return info;
}

function filter(p: Pod, node: NodeInfoImpl): readonly string[] {
  const plugin = newNodeResourcesFit();
  const state = new CycleState();
  plugin.preFilter(state, p, [node]);
  return plugin.filter(state, p, node).reasons;
}

describe('NodeResourcesFit filter', () => {
  test('a pod fits when the free resources cover its requests', () => {
    const node = nodeWith({ cpu: '2', memory: '4Gi', pods: '10' }, [pod([container({ cpu: '1', memory: '1Gi' })])]);
    assert.deepEqual(filter(pod([container({ cpu: '1', memory: '3Gi' })]), node), []);
  });

  test('every short resource is named, in upstream order, with Too many pods first', () => {
    const node = nodeWith({ cpu: '1', memory: '1Gi', pods: '1' }, [pod([container({ cpu: '500m' })])]);
    assert.deepEqual(filter(pod([container({ cpu: '1', memory: '2Gi', 'example.com/gpu': '1' })]), node), ['Too many pods', 'Insufficient cpu', 'Insufficient memory', 'Insufficient example.com/gpu']);
  });

  test('init containers count by the max rule, sidecars add up, overhead is added', () => {
    const node = nodeWith({ cpu: '3', pods: '10' });
    const initHeavy = pod([container({ cpu: '1' })], { initContainers: [container({ cpu: '3' })] });
    assert.deepEqual(filter(initHeavy, node), []);
    const withSidecar = pod([container({ cpu: '1' })], { initContainers: [{ ...container({ cpu: '1' }), restartPolicy: 'Always' }, container({ cpu: '2500m' })] });
    assert.deepEqual(filter(withSidecar, node), ['Insufficient cpu'], 'the sidecar (1) runs beside the init container (2.5)');
    const withOverhead = pod([container({ cpu: '2900m' })], { overhead: { cpu: '200m' } });
    assert.deepEqual(filter(withOverhead, node), ['Insufficient cpu']);
  });
});

describe('NodeResourcesFit and BalancedAllocation scores', () => {
  const score = (plugin: ReturnType<typeof newNodeResourcesFit> | ReturnType<typeof newBalancedAllocation>, p: Pod, node: NodeInfoImpl): number => {
    const state = new CycleState();
    plugin.preScore(state, p, [node]);
    return plugin.score(state, p, node);
  };
  const node = nodeWith({ cpu: '4', memory: '8Gi', pods: '10' }, [pod([container({ cpu: '1', memory: '2Gi' })])]);
  const incoming = pod([container({ cpu: '1', memory: '2Gi' })]);

  test('LeastAllocated favours free room, MostAllocated the opposite', () => {
    assert.equal(score(newNodeResourcesFit(), incoming, node), 50);
    assert.equal(score(newNodeResourcesFit({ scoringStrategy: 'MostAllocated' }), incoming, node), 50);
    const emptier = nodeWith({ cpu: '4', memory: '8Gi', pods: '10' });
    assert.equal(score(newNodeResourcesFit(), incoming, emptier), 75);
    assert.equal(score(newNodeResourcesFit({ scoringStrategy: 'MostAllocated' }), incoming, emptier), 25);
  });

  test('containers without requests count upstream defaults (100m, 200Mi)', () => {
    const empty = nodeWith({ cpu: '1', memory: '1000Mi', pods: '10' });
    assert.equal(score(newNodeResourcesFit(), pod([{ name: 'c', image: 'busybox' }]), empty), 85);
  });

  test('balanced allocation is 100 for equal fractions and drops as they part', () => {
    assert.equal(score(newBalancedAllocation(), incoming, node), 100);
    assert.equal(score(newBalancedAllocation(), pod([container({ cpu: '2', memory: '0' })]), node), 75);
  });
});
