/**
 * Which nodes a DaemonSet's pod fits: nodeSelector, required node affinity operators
 * and fields, taints against tolerations (with the default daemon tolerations).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { PodSpec, Taint } from 'kubernetes-types/core/v1.js';
import { daemonPodSpec, withTolerations } from './daemonPodTemplate.js';
import type { DaemonSetObject, NodeObject } from './daemonSetKind.js';
import { judgeNode } from './nodeEligibility.js';
import { compileTerm, termMatches as compiledTermMatches } from '../../api/nodeAffinity.js';
import type { NodeSelectorTerm } from 'kubernetes-types/core/v1.js';
import { toleratesTaint as tolerates } from '../../api/tolerations.js';

const termMatches = (term: NodeSelectorTerm, node: NodeObject): boolean => compiledTermMatches(compileTerm(term), node);

const node = (name: string, labels: Record<string, string> = {}, taints: Taint[] = []): NodeObject => ({ metadata: { name, labels }, spec: { taints } });
const daemonSet = (spec: Partial<PodSpec>): DaemonSetObject => ({
  metadata: { name: 'ds' },
  spec: { selector: {}, template: { spec: { containers: [{ name: 'c' }], ...spec } } },
});

describe('daemonset node eligibility', () => {
  test('affinity operators and fields', () => {
    const n = node('n1', { zone: 'a', cores: '8' });
    assert.equal(termMatches({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] }, n), true);
    assert.equal(termMatches({ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }, n), false);
    assert.equal(termMatches({ matchExpressions: [{ key: 'gpu', operator: 'DoesNotExist' }] }, n), true);
    assert.equal(termMatches({ matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['4'] }] }, n), true);
    assert.equal(termMatches({ matchExpressions: [{ key: 'cores', operator: 'Lt', values: ['4'] }] }, n), false);
    assert.equal(termMatches({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }, n), true);
    assert.equal(termMatches({ matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['n1'] }] }, n), false);
    assert.equal(termMatches({}, n), false, 'an empty term matches nothing');
  });

  test('tolerations', () => {
    const taint: Taint = { key: 'k', value: 'v', effect: 'NoSchedule' };
    assert.equal(tolerates({ key: 'k', operator: 'Equal', value: 'v' }, taint), true);
    assert.equal(tolerates({ key: 'k', value: 'w' }, taint), false);
    assert.equal(tolerates({ key: 'k', operator: 'Exists', effect: 'NoExecute' }, taint), false);
    assert.equal(tolerates({ operator: 'Exists' }, taint), true, 'an empty key with Exists tolerates everything');
    const replaced = withTolerations([{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }], [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' }]);
    assert.deepEqual(replaced, [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' }]);
  });

  test('verdicts: selector, affinity, NoSchedule keeps running pods, NoExecute does not, default tolerations apply', () => {
    const spec = daemonPodSpec(daemonSet({ nodeSelector: { role: 'w' } }));
    assert.deepEqual(judgeNode(node('a', { role: 'w' }), spec), { shouldRun: true, shouldContinueRunning: true });
    assert.deepEqual(judgeNode(node('b', { role: 'x' }), spec), { shouldRun: false, shouldContinueRunning: false });
    assert.deepEqual(judgeNode(node('c', { role: 'w' }, [{ key: 'k', effect: 'NoSchedule' }]), spec), { shouldRun: false, shouldContinueRunning: true });
    assert.deepEqual(judgeNode(node('d', { role: 'w' }, [{ key: 'k', effect: 'NoExecute' }]), spec), { shouldRun: false, shouldContinueRunning: false });
    assert.deepEqual(judgeNode(node('e', { role: 'w' }, [{ key: 'k', effect: 'PreferNoSchedule' }]), spec), { shouldRun: true, shouldContinueRunning: true });
    assert.deepEqual(judgeNode(node('f', { role: 'w' }, [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }, { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }]), spec), { shouldRun: true, shouldContinueRunning: true });
    const network = { key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' };
    assert.equal(judgeNode(node('g', { role: 'w' }, [network]), spec).shouldRun, false);
    assert.equal(judgeNode(node('g', { role: 'w' }, [network]), daemonPodSpec(daemonSet({ nodeSelector: { role: 'w' }, hostNetwork: true }))).shouldRun, true);
    const affinity = daemonPodSpec(daemonSet({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }] } } } }));
    assert.equal(judgeNode(node('h', { zone: 'a' }), affinity).shouldRun, true);
    assert.equal(judgeNode(node('i', { zone: 'b' }), affinity).shouldRun, false);
  });
});
