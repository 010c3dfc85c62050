import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, Pod, TopologySpreadConstraint } from 'kubernetes-types/core/v1.js';
import { labelSelectorFromSet } from '../../../api/selectors/labelSelector.js';
import { CycleState } from '../../framework/cycleState.js';
import type { FrameworkHandle, NodeInfo, NodeScore } from '../../framework/interface.js';
import { handleOver, makeNode, makeNodeInfo, makePod, nodeInfosOf } from '../testing/nodeInfos.js';
import { ERR_REASON_CONSTRAINTS_NOT_MATCH, ERR_REASON_NODE_LABEL_NOT_MATCH } from './filtering.js';
import { newPodTopologySpread } from './podTopologySpread.js';

const ZONE = 'topology.kubernetes.io/zone';
const HOST = 'kubernetes.io/hostname';

const nodes: Node[] = [
  makeNode('a1', { labels: { [ZONE]: 'a' } }),
  makeNode('a2', { labels: { [ZONE]: 'a' } }),
  makeNode('b1', { labels: { [ZONE]: 'b' } }),
  makeNode('c1', { labels: { [ZONE]: 'c', pool: 'spare' }, taints: [{ key: 'spare', effect: 'NoSchedule' }] }),
  makeNode('nozone'),
];

function constraint(extra: Partial<TopologySpreadConstraint> = {}): TopologySpreadConstraint {
  return { maxSkew: 1, topologyKey: ZONE, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } }, ...extra };
}

function web(name: string, nodeName: string, extra: Record<string, string> = {}): Pod {
  return makePod(name, { nodeName, labels: { app: 'web', ...extra } });
}

function spreadPod(constraints: TopologySpreadConstraint[], spec: Partial<Pod['spec']> = {}, labels: Record<string, string> = { app: 'web' }): Pod {
  return makePod('p', { labels, spec: { topologySpreadConstraints: constraints, ...spec } });
}

const MISSING = `UnschedulableAndUnresolvable: ${ERR_REASON_NODE_LABEL_NOT_MATCH}`;
const SKEW = `Unschedulable: ${ERR_REASON_CONSTRAINTS_NOT_MATCH}`;

function filterAll(pod: Pod, existing: Pod[], handleExtra: Partial<FrameworkHandle> = {}): Record<string, string> | 'skip' {
  const infos = nodeInfosOf(nodes, existing);
  const plugin = newPodTopologySpread({ ...handleOver(infos), ...handleExtra });
  const state = new CycleState();
  const pre = plugin.preFilter(state, pod, infos);
  if (pre.status.code === 'Skip') return 'skip';
  assert.equal(pre.status.code, 'Success');
  return Object.fromEntries(
    infos.map((info) => {
      const status = plugin.filter(state, pod, info);
      return [info.name, status.code === 'Success' ? 'ok' : `${status.code}: ${status.reasons.join()}`];
    }),
  );
}

describe('PodTopologySpread filter', () => {
  it('skips pods without DoNotSchedule constraints', () => {
    assert.equal(filterAll(makePod('p'), []), 'skip');
    assert.equal(filterAll(spreadPod([constraint({ whenUnsatisfiable: 'ScheduleAnyway' })]), []), 'skip');
  });

  it('admits domains within maxSkew of the emptiest domain, and rejects nodes without the key as unresolvable', () => {
    // a: 2, b: 1, c: 0 (taints ignored by default)
    const existing = [web('w1', 'a1'), web('w2', 'a2'), web('w3', 'b1')];
    assert.deepEqual(filterAll(spreadPod([constraint()]), existing), { a1: SKEW, a2: SKEW, b1: SKEW, c1: 'ok', nozone: MISSING });
    assert.deepEqual(filterAll(spreadPod([constraint({ maxSkew: 2 })]), existing), { a1: SKEW, a2: SKEW, b1: 'ok', c1: 'ok', nozone: MISSING });
  });

  it('does not add the pod itself when it does not match the selector', () => {
    const existing = [web('w1', 'a1')];
    assert.deepEqual(filterAll(spreadPod([constraint()], {}, { app: 'other' }), existing), { a1: 'ok', a2: 'ok', b1: 'ok', c1: 'ok', nozone: MISSING });
  });

  it('counts only pods of the same namespace that are not terminating', () => {
    const live = web('t', 'b1');
    const terminating: Pod = { ...live, metadata: { ...live.metadata, deletionTimestamp: '2024-01-01T00:00:00Z' } };
    const elsewhere = makePod('o', { nodeName: 'c1', labels: { app: 'web' }, namespace: 'other' });
    const existing = [web('w1', 'a1'), terminating, elsewhere];
    assert.deepEqual(filterAll(spreadPod([constraint()]), existing), { a1: SKEW, a2: SKEW, b1: 'ok', c1: 'ok', nozone: MISSING });
  });

  it("excludes nodes failing the pod's node affinity (Honor), unless nodeAffinityPolicy is Ignore", () => {
    const existing = [web('w1', 'a1'), web('w2', 'b1')];
    const avoidSpare = { nodeSelector: { [ZONE]: 'a' } };
    // With Honor only zone a is a domain: min is a's own count.
    const honored = filterAll(spreadPod([constraint()], avoidSpare), existing) as Record<string, string>;
    assert.equal(honored.a1, 'ok');
    // With Ignore, the empty zone c makes the minimum 0.
    const ignored = filterAll(spreadPod([constraint({ nodeAffinityPolicy: 'Ignore' })], avoidSpare), existing) as Record<string, string>;
    assert.equal(ignored.a1, SKEW);
  });

  it('excludes nodes with untolerated taints only when nodeTaintsPolicy is Honor', () => {
    const existing = [web('w1', 'a1'), web('w2', 'b1')];
    assert.deepEqual(filterAll(spreadPod([constraint()]), existing), { a1: SKEW, a2: SKEW, b1: SKEW, c1: 'ok', nozone: MISSING });
    assert.deepEqual(filterAll(spreadPod([constraint({ nodeTaintsPolicy: 'Honor' })]), existing), { a1: 'ok', a2: 'ok', b1: 'ok', c1: 'ok', nozone: MISSING });
    const tolerating = spreadPod([constraint({ nodeTaintsPolicy: 'Honor' })], { tolerations: [{ key: 'spare', operator: 'Exists' }] });
    assert.deepEqual(filterAll(tolerating, existing), { a1: SKEW, a2: SKEW, b1: SKEW, c1: 'ok', nozone: MISSING });
  });

  it('treats the global minimum as 0 while fewer than minDomains domains exist', () => {
    const existing = [web('w1', 'a1'), web('w2', 'b1'), web('w3', 'c1')];
    assert.deepEqual(filterAll(spreadPod([constraint()]), existing), { a1: 'ok', a2: 'ok', b1: 'ok', c1: 'ok', nozone: MISSING });
    assert.deepEqual(filterAll(spreadPod([constraint({ minDomains: 4 })]), existing), { a1: SKEW, a2: SKEW, b1: SKEW, c1: SKEW, nozone: MISSING });
  });

  it('narrows the selector by the values of matchLabelKeys', () => {
    const existing = [web('old1', 'a1', { hash: 'v1' }), web('old2', 'a2', { hash: 'v1' }), web('new1', 'b1', { hash: 'v2' })];
    const pod = spreadPod([constraint({ matchLabelKeys: ['hash'] })], {}, { app: 'web', hash: 'v2' });
    assert.deepEqual(filterAll(pod, existing), { a1: 'ok', a2: 'ok', b1: SKEW, c1: 'ok', nozone: MISSING });
  });

  it('ANDs several constraints', () => {
    const existing = [web('w1', 'a1')];
    const pod = spreadPod([constraint(), constraint({ topologyKey: HOST })]);
    assert.deepEqual(filterAll(pod, existing), { a1: SKEW, a2: SKEW, b1: 'ok', c1: 'ok', nozone: MISSING });
  });

  it('updates counts for preemption on a clone only', () => {
    const victim = web('w1', 'b1');
    const infos = nodeInfosOf(nodes, [web('w0', 'a1'), victim, web('w2', 'c1')]);
    const plugin = newPodTopologySpread(handleOver(infos));
    const pod = spreadPod([constraint()]);
    const state = new CycleState();
    plugin.preFilter(state, pod, infos);
    const [a1, , b1] = infos as [NodeInfo, NodeInfo, NodeInfo];
    assert.equal(plugin.filter(state, pod, a1).code, 'Success');
    const whatIf = state.clone();
    plugin.removePod?.(whatIf, pod, { pod: victim, requests: new Map() }, b1);
    assert.equal(plugin.filter(whatIf, pod, a1).code, 'Unschedulable');
    assert.equal(plugin.filter(whatIf, pod, b1).code, 'Success');
    assert.equal(plugin.filter(state, pod, a1).code, 'Success');
    plugin.addPod?.(whatIf, pod, { pod: victim, requests: new Map() }, b1);
    assert.equal(plugin.filter(whatIf, pod, a1).code, 'Success');
  });

  it('registers pod and node events', () => {
    const events = newPodTopologySpread(handleOver([])).eventsToRegister();
    assert.deepEqual(events.map((e) => `${e.resource}/${e.action}`), ['Pod/Add', 'Pod/Update', 'Pod/Delete', 'Node/Add', 'Node/Update', 'Node/Delete']);
  });
});

function scoreAll(pod: Pod, existing: Pod[], feasibleNames?: string[], handleExtra: Partial<FrameworkHandle> = {}): Record<string, number> | 'skip' {
  const infos = nodeInfosOf(nodes, existing);
  const plugin = newPodTopologySpread({ ...handleOver(infos), ...handleExtra });
  const feasible = feasibleNames === undefined ? infos : infos.filter((i) => feasibleNames.includes(i.name));
  const state = new CycleState();
  if (plugin.preScore(state, pod, feasible).code === 'Skip') return 'skip';
  const scores: NodeScore[] = feasible.map((info) => ({ name: info.name, score: plugin.score(state, pod, info) }));
  plugin.normalizeScores?.(state, pod, scores);
  return Object.fromEntries(scores.map((s) => [s.name, s.score]));
}

describe('PodTopologySpread score', () => {
  const soft = (extra: Partial<TopologySpreadConstraint> = {}): TopologySpreadConstraint => constraint({ whenUnsatisfiable: 'ScheduleAnyway', ...extra });

  it('skips pods without ScheduleAnyway constraints', () => {
    assert.equal(scoreAll(spreadPod([constraint()]), []), 'skip');
  });

  it('prefers domains with fewer matching pods, scoring nodes without the key 0', () => {
    // zones: a 2, b 1, c 0 over 3 domains: weight ln(5)
    const existing = [web('w1', 'a1'), web('w2', 'a2'), web('w3', 'b1')];
    const w = Math.log(5);
    const raw = { a: Math.round(2 * w), b: Math.round(w), c: 0 };
    const max = raw.a;
    const expected = (s: number): number => Math.trunc((100 * (max + raw.c - s)) / max);
    assert.deepEqual(scoreAll(spreadPod([soft()]), existing), { a1: expected(raw.a), a2: expected(raw.a), b1: expected(raw.b), c1: 100, nozone: 0 });
  });

  it('counts pods on every eligible node but only for domains of feasible nodes', () => {
    const existing = [web('w1', 'a1'), web('w2', 'a2'), web('w3', 'b1')];
    const result = scoreAll(spreadPod([soft()]), existing, ['a2', 'b1']);
    // domains a (2) and b (1), weight ln(4): raw a 3, b 1 → a 100*(3+1-3)/3 = 33, b 100
    assert.deepEqual(result, { a2: 33, b1: 100 });
  });

  it('counts hostname constraints per node and adds maxSkew - 1', () => {
    const existing = [web('w1', 'a1'), web('w2', 'a1'), web('w3', 'b1')];
    // 5 feasible nodes, none ignored (all have a hostname): weight ln(7); raw a1 round(2w)+1, b1 round(w)+1, others 1
    const w = Math.log(7);
    const raw = { a1: Math.round(2 * w + 1), b1: Math.round(w + 1), other: 1 };
    const n = (s: number): number => Math.trunc((100 * (raw.a1 + raw.other - s)) / raw.a1);
    assert.deepEqual(scoreAll(spreadPod([soft({ topologyKey: HOST, maxSkew: 2 })]), existing), {
      a1: n(raw.a1),
      a2: n(raw.other),
      b1: n(raw.b1),
      c1: n(raw.other),
      nozone: n(raw.other),
    });
  });

  it('uses the system defaults with the selector the handle derives, and none without one', () => {
    const existing = [web('w1', 'a1'), web('w2', 'a1')];
    const pod = makePod('p', { labels: { app: 'web' } });
    assert.equal(scoreAll(pod, existing), 'skip');
    assert.equal(filterAll(pod, existing, { defaultSpreadSelector: () => labelSelectorFromSet({ app: 'web' }) }), 'skip');
    const scores = scoreAll(pod, existing, undefined, { defaultSpreadSelector: () => labelSelectorFromSet({ app: 'web' }) });
    assert.notEqual(scores, 'skip');
    const byNode = scores as Record<string, number>;
    // a1 holds both pods: lowest; the node without a zone still takes part (hostname spreading).
    assert.ok((byNode.a1 ?? 0) < (byNode.b1 ?? 0));
    assert.ok((byNode.nozone ?? 0) > 0);
  });

  it('uses the List defaulting type constraints', () => {
    const existing = [web('w1', 'b1')];
    const pod = makePod('p', { labels: { app: 'web' } });
    const infos = nodeInfosOf(nodes, existing);
    const plugin = newPodTopologySpread(
      { ...handleOver(infos), defaultSpreadSelector: () => labelSelectorFromSet({ app: 'web' }) },
      { defaultingType: 'List', defaultConstraints: [{ maxSkew: 1, topologyKey: ZONE, whenUnsatisfiable: 'DoNotSchedule' }] },
    );
    const state = new CycleState();
    assert.equal(plugin.preFilter(state, pod, infos).status.code, 'Success');
    assert.equal(plugin.filter(state, pod, infos[2] as NodeInfo).code, 'Unschedulable');
    assert.equal(plugin.filter(state, pod, infos[0] as NodeInfo).code, 'Success');
  });
});

describe('PodTopologySpread across cycles', () => {
  it('follows pods, label changes and removed nodes from one cycle to the next', () => {
    let infos = nodeInfosOf(nodes, [web('w1', 'a1')]);
    const handle = { snapshot: () => handleOver(infos).snapshot() };
    const plugin = newPodTopologySpread(handle);
    const pod = spreadPod([constraint()]);
    const verdicts = (): Record<string, string> => {
      const state = new CycleState();
      plugin.preFilter(state, pod, infos);
      return Object.fromEntries(infos.map((info) => [info.name, plugin.filter(state, pod, info).code]));
    };
    assert.deepEqual(verdicts(), { a1: 'Unschedulable', a2: 'Unschedulable', b1: 'Success', c1: 'Success', nozone: 'UnschedulableAndUnresolvable' });
    // A pod lands on b1 and c1: only that NodeInfo is replaced; the others keep their objects.
    infos = infos.map((info) => (info.name === 'b1' || info.name === 'c1' ? makeNodeInfo(info.node, [web(`x-${info.name}`, info.name)]) : info));
    assert.deepEqual(verdicts(), { a1: 'Success', a2: 'Success', b1: 'Success', c1: 'Success', nozone: 'UnschedulableAndUnresolvable' });
    // c1 moves to zone b and the zone-a pod goes away.
    infos = infos.map((info) => {
      if (info.name === 'c1') return makeNodeInfo(makeNode('c1', { labels: { [ZONE]: 'b' } }), info.pods.map((p) => p.pod));
      if (info.name === 'a1') return makeNodeInfo(info.node);
      return info;
    });
    assert.deepEqual(verdicts(), { a1: 'Success', a2: 'Success', b1: 'Unschedulable', c1: 'Unschedulable', nozone: 'UnschedulableAndUnresolvable' });
    // Zone a disappears: b is the only domain left.
    infos = infos.filter((info) => info.name !== 'a1' && info.name !== 'a2');
    assert.deepEqual(verdicts(), { b1: 'Success', c1: 'Success', nozone: 'UnschedulableAndUnresolvable' });
  });
});
