/**
 * TaintToleration, NodeUnschedulable, NodeName and NodePorts as pure functions:
 * upstream reasons and codes, toleration matching, PreferNoSchedule scoring.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, Pod, Taint, Toleration } from 'kubernetes-types/core/v1.js';
import { CycleState } from '../../framework/cycleState.js';
import { NodeInfoImpl } from '../../framework/nodeInfo.js';
import { trackedPodInfo } from '../../framework/podInfo.js';
import { newNodeName } from '../nodename/nodeName.js';
import { newNodePorts } from '../nodeports/nodePorts.js';
import { newNodeUnschedulable } from '../nodeunschedulable/nodeUnschedulable.js';
import { newTaintToleration } from './taintToleration.js';
import { toleratesTaint } from '../../../api/tolerations.js';

const pod = (spec: Partial<Pod['spec']> = {}, name = 'p'): Pod => ({ metadata: { name, uid: `uid-${name}` }, spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec } });
const nodeInfo = (spec: Node['spec'] = {}, name = 'n'): NodeInfoImpl => new NodeInfoImpl(name, { metadata: { name }, spec, status: { allocatable: { pods: '10' } } });

describe('tolerations', () => {
  const taint: Taint = { key: 'k', value: 'v', effect: 'NoSchedule' };
  const cases: Array<[Toleration, boolean]> = [
    [{ key: 'k', value: 'v', effect: 'NoSchedule' }, true],
    [{ key: 'k', operator: 'Equal', value: 'other' }, false],
    [{ key: 'k', operator: 'Exists' }, true],
    [{ operator: 'Exists' }, true],
    [{ key: 'k', operator: 'Exists', effect: 'NoExecute' }, false],
    [{ key: 'other', operator: 'Exists' }, false],
  ];
  for (const [toleration, expected] of cases) {
    test(`${JSON.stringify(toleration)} ${expected ? 'tolerates' : 'does not tolerate'} k=v:NoSchedule`, () => {
      assert.equal(toleratesTaint(toleration, taint), expected);
    });
  }
});

describe('filters', () => {
  test('TaintToleration names the first untolerated NoSchedule/NoExecute taint, unresolvable', () => {
    const plugin = newTaintToleration();
    const node = nodeInfo({ taints: [{ key: 'soft', effect: 'PreferNoSchedule' }, { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }] });
    const status = plugin.filter(new CycleState(), pod(), node);
    assert.equal(status.code, 'UnschedulableAndUnresolvable');
    assert.deepEqual(status.reasons, ['node(s) had untolerated taint {node.kubernetes.io/unreachable: }']);
    assert.equal(plugin.filter(new CycleState(), pod({ tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists' }] }), node).code, 'Success');
  });

  test('TaintToleration scores fewer untolerated PreferNoSchedule taints higher', () => {
    const plugin = newTaintToleration();
    const state = new CycleState();
    const p = pod();
    plugin.preScore(state, p, []);
    const nodes = [nodeInfo({}, 'clean'), nodeInfo({ taints: [{ key: 'a', effect: 'PreferNoSchedule' }] }, 'one'), nodeInfo({ taints: [{ key: 'a', effect: 'PreferNoSchedule' }, { key: 'b', effect: 'PreferNoSchedule' }] }, 'two')];
    const scores = nodes.map((n) => ({ name: n.name, score: plugin.score(state, p, n) }));
    plugin.normalizeScores?.(state, p, scores);
    assert.deepEqual(scores.map((s) => s.score), [100, 50, 0]);
  });

  test('NodeUnschedulable rejects cordoned nodes unless the pod tolerates the unschedulable taint', () => {
    const plugin = newNodeUnschedulable();
    const cordoned = nodeInfo({ unschedulable: true });
    assert.deepEqual(plugin.filter(new CycleState(), pod(), cordoned), { code: 'UnschedulableAndUnresolvable', reasons: ['node(s) were unschedulable'] });
    assert.equal(plugin.filter(new CycleState(), pod({ tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] }), cordoned).code, 'Success');
  });

  test('NodeName accepts only the named node', () => {
    const plugin = newNodeName();
    assert.deepEqual(plugin.filter(new CycleState(), pod({ nodeName: 'other' }), nodeInfo()).reasons, ["node(s) didn't match the requested node name"]);
    assert.equal(plugin.filter(new CycleState(), pod({ nodeName: 'n' }), nodeInfo()).code, 'Success');
  });

  test('NodePorts rejects a node where a host port is taken on the same or every IP', () => {
    const plugin = newNodePorts();
    const withPort = (hostPort: number, hostIP?: string, protocol?: string) => pod({ containers: [{ name: 'c', image: 'busybox', ports: [{ containerPort: 80, hostPort, ...(hostIP ? { hostIP } : {}), ...(protocol ? { protocol } : {}) }] }] }, `p${hostPort}${hostIP ?? ''}${protocol ?? ''}`);
    const node = nodeInfo();
    node.addPod(trackedPodInfo(withPort(8080, '10.0.0.1')));
    const check = (p: Pod) => {
      const state = new CycleState();
      const pre = plugin.preFilter(state, p, [node]);
      return pre.status.code === 'Skip' ? 'Skip' : plugin.filter(state, p, node).code;
    };
    assert.equal(check(withPort(8080)), 'Unschedulable', '0.0.0.0 overlaps every IP');
    assert.equal(check(withPort(8080, '10.0.0.2')), 'Success');
    assert.equal(check(withPort(8080, '10.0.0.1', 'UDP')), 'Success');
    assert.equal(check(pod()), 'Skip');
  });
});
