import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { NodeSelectorTerm, Pod, PreferredSchedulingTerm } from 'kubernetes-types/core/v1.js';
import { CycleState } from '../../framework/cycleState.js';
import type { NodeScore } from '../../framework/interface.js';
import { makeNode, makeNodeInfo, makePod } from '../testing/nodeInfos.js';
import { ERR_REASON_CONFLICT, ERR_REASON_ENFORCED, ERR_REASON_POD, newNodeAffinity, type NodeAffinityArgs } from './nodeAffinity.js';

function requiredPod(...terms: NodeSelectorTerm[]): Pod {
  return makePod('p', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } } });
}

function fits(pod: Pod, labels: Record<string, string>, nodeName = 'n1', args?: NodeAffinityArgs): { code: string; reasons: readonly string[] } {
  const plugin = newNodeAffinity(undefined, args);
  const state = new CycleState();
  const pre = plugin.preFilter(state, pod, []);
  if (pre.status.code !== 'Success' && pre.status.code !== 'Skip') return pre.status;
  const status = plugin.filter(state, pod, makeNodeInfo(makeNode(nodeName, { labels })));
  return { code: status.code, reasons: status.reasons };
}

const ok = { code: 'Success', reasons: [] };
const rejected = { code: 'UnschedulableAndUnresolvable', reasons: [ERR_REASON_POD] };

describe('NodeAffinity filter', () => {
  it('passes a pod with no node constraints (PreFilter skips)', () => {
    const plugin = newNodeAffinity();
    assert.equal(plugin.preFilter(new CycleState(), makePod('p'), []).status.code, 'Skip');
    assert.deepEqual(fits(makePod('p'), {}), ok);
  });

  it('requires every nodeSelector label', () => {
    const pod = makePod('p', { spec: { nodeSelector: { disk: 'ssd', zone: 'a' } } });
    assert.deepEqual(fits(pod, { disk: 'ssd', zone: 'a', extra: 'x' }), ok);
    assert.deepEqual(fits(pod, { disk: 'ssd' }), rejected);
    assert.deepEqual(fits(pod, { disk: 'hdd', zone: 'a' }), rejected);
  });

  it('matches each operator of matchExpressions', () => {
    const expr = (operator: string, values?: string[]): Pod => requiredPod({ matchExpressions: [{ key: 'k', operator, ...(values ? { values } : {}) }] });
    assert.deepEqual(fits(expr('In', ['a', 'b']), { k: 'b' }), ok);
    assert.deepEqual(fits(expr('In', ['a']), { k: 'c' }), rejected);
    assert.deepEqual(fits(expr('In', ['a']), {}), rejected);
    assert.deepEqual(fits(expr('NotIn', ['a']), {}), ok);
    assert.deepEqual(fits(expr('NotIn', ['a']), { k: 'a' }), rejected);
    assert.deepEqual(fits(expr('Exists'), { k: '' }), ok);
    assert.deepEqual(fits(expr('Exists'), {}), rejected);
    assert.deepEqual(fits(expr('DoesNotExist'), {}), ok);
    assert.deepEqual(fits(expr('DoesNotExist'), { k: 'x' }), rejected);
    assert.deepEqual(fits(expr('Gt', ['5']), { k: '6' }), ok);
    assert.deepEqual(fits(expr('Gt', ['5']), { k: '5' }), rejected);
    assert.deepEqual(fits(expr('Gt', ['5']), { k: 'abc' }), rejected);
    assert.deepEqual(fits(expr('Lt', ['5']), { k: '-1' }), ok);
    assert.deepEqual(fits(expr('Lt', ['5']), { k: '7' }), rejected);
  });

  it('ANDs the requirements of a term and ORs the terms', () => {
    const pod = requiredPod(
      { matchExpressions: [{ key: 'a', operator: 'Exists' }, { key: 'b', operator: 'In', values: ['1'] }] },
      { matchExpressions: [{ key: 'c', operator: 'Exists' }] },
    );
    assert.deepEqual(fits(pod, { a: 'x', b: '1' }), ok);
    assert.deepEqual(fits(pod, { a: 'x' }), rejected);
    assert.deepEqual(fits(pod, { c: 'y' }), ok);
  });

  it('treats empty terms, empty term lists and malformed terms as matching nothing', () => {
    assert.deepEqual(fits(requiredPod({}), { a: 'b' }), rejected);
    assert.deepEqual(fits(requiredPod(), { a: 'b' }), rejected);
    const bad = requiredPod({ matchExpressions: [{ key: 'k', operator: 'Gt', values: ['x'] }] }, { matchExpressions: [{ key: 'ok', operator: 'Exists' }] });
    assert.deepEqual(fits(bad, { k: '9' }), rejected);
    assert.deepEqual(fits(bad, { ok: '' }), ok);
  });

  it('needs both nodeSelector and affinity', () => {
    const pod = requiredPod({ matchExpressions: [{ key: 'a', operator: 'Exists' }] });
    pod.spec = { ...pod.spec!, nodeSelector: { b: '1' } };
    assert.deepEqual(fits(pod, { a: '', b: '1' }), ok);
    assert.deepEqual(fits(pod, { a: '' }), rejected);
    assert.deepEqual(fits(pod, { b: '1' }), rejected);
  });

  it('matches matchFields metadata.name and narrows PreFilter to those names', () => {
    const pod = requiredPod({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n2'] }] });
    assert.deepEqual(fits(pod, {}, 'n2'), ok);
    assert.deepEqual(fits(pod, {}, 'n1'), rejected);
    const outcome = newNodeAffinity().preFilter(new CycleState(), pod, []);
    assert.deepEqual([...(outcome.nodeNames ?? [])], ['n2']);
    const notIn = requiredPod({ matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['n2'] }] });
    assert.deepEqual(fits(notIn, {}, 'n1'), ok);
    assert.deepEqual(fits(notIn, {}, 'n2'), rejected);
    assert.equal(newNodeAffinity().preFilter(new CycleState(), notIn, []).nodeNames, undefined);
  });

  it('unions pinned names across terms, and any term without names lifts the narrowing', () => {
    const pinned = (name: string): NodeSelectorTerm => ({ matchFields: [{ key: 'metadata.name', operator: 'In', values: [name] }] });
    const both = newNodeAffinity().preFilter(new CycleState(), requiredPod(pinned('a'), pinned('b')), []);
    assert.deepEqual([...(both.nodeNames ?? [])].sort(), ['a', 'b']);
    const open = newNodeAffinity().preFilter(new CycleState(), requiredPod(pinned('a'), { matchExpressions: [{ key: 'x', operator: 'Exists' }] }), []);
    assert.equal(open.nodeNames, undefined);
    const conflict = requiredPod({
      matchFields: [
        { key: 'metadata.name', operator: 'In', values: ['a'] },
        { key: 'metadata.name', operator: 'In', values: ['b'] },
      ],
    });
    assert.deepEqual(newNodeAffinity().preFilter(new CycleState(), conflict, []).status, { code: 'UnschedulableAndUnresolvable', reasons: [ERR_REASON_CONFLICT] });
  });

  it('enforces addedAffinity before the pod\'s own rules', () => {
    const args: NodeAffinityArgs = {
      addedAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'pool', operator: 'In', values: ['web'] }] }] } },
    };
    assert.deepEqual(fits(makePod('p'), { pool: 'web' }, 'n1', args), ok);
    assert.deepEqual(fits(makePod('p'), { pool: 'db' }, 'n1', args), { code: 'UnschedulableAndUnresolvable', reasons: [ERR_REASON_ENFORCED] });
  });

  it('registers node additions and updates', () => {
    assert.deepEqual(newNodeAffinity().eventsToRegister(), [
      { resource: 'Node', action: 'Add' },
      { resource: 'Node', action: 'Update' },
    ]);
  });
});

describe('NodeAffinity score', () => {
  const preferred: PreferredSchedulingTerm[] = [
    { weight: 2, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] } },
    { weight: 8, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } },
    { weight: 0, preference: { matchExpressions: [{ key: 'zone', operator: 'Exists' }] } },
  ];
  const nodes = [
    makeNode('none', { labels: {} }),
    makeNode('zone', { labels: { zone: 'a' } }),
    makeNode('disk', { labels: { disk: 'ssd' } }),
    makeNode('both', { labels: { zone: 'a', disk: 'ssd' } }),
  ];

  function scores(pod: Pod, args?: NodeAffinityArgs): Record<string, number> | 'Skip' {
    const plugin = newNodeAffinity(undefined, args);
    const state = new CycleState();
    const infos = nodes.map((n) => makeNodeInfo(n));
    if (plugin.preScore(state, pod, infos).code === 'Skip') return 'Skip';
    const list: NodeScore[] = infos.map((info) => ({ name: info.name, score: plugin.score(state, pod, info) }));
    plugin.normalizeScores?.(state, pod, list);
    return Object.fromEntries(list.map((s) => [s.name, s.score]));
  }

  it('skips pods without preferred terms', () => {
    assert.equal(scores(makePod('p')), 'Skip');
  });

  it('sums matching weights and scales the best to 100', () => {
    const pod = makePod('p', { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: preferred } } });
    assert.deepEqual(scores(pod), { none: 0, zone: 20, disk: 80, both: 100 });
  });

  it('adds the addedAffinity preferred terms', () => {
    const args: NodeAffinityArgs = { addedAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 3, preference: { matchExpressions: [{ key: 'zone', operator: 'Exists' }] } }] } };
    assert.deepEqual(scores(makePod('p'), args), { none: 0, zone: 100, disk: 0, both: 100 });
  });

  it('leaves all zeros when nothing matches', () => {
    const pod = makePod('p', { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 5, preference: { matchExpressions: [{ key: 'gpu', operator: 'Exists' }] } }] } } });
    assert.deepEqual(scores(pod), { none: 0, zone: 0, disk: 0, both: 0 });
  });

  it('reports a malformed preferred term as an error', () => {
    const pod = makePod('p', { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 5, preference: { matchExpressions: [{ key: 'gpu', operator: 'Bogus' }] } }] } } });
    assert.equal(newNodeAffinity().preScore(new CycleState(), pod, []).code, 'Error');
  });
});
