import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Affinity, Node, Pod, PodAffinityTerm } from 'kubernetes-types/core/v1.js';
import { CycleState } from '../../framework/cycleState.js';
import type { NodeInfo, NodeScore } from '../../framework/interface.js';
import { handleOver, makeNode, makeNodeInfo, makePod, makeSnapshot, nodeInfosOf } from '../testing/nodeInfos.js';
import type { NamespaceSource } from '../../framework/interface.js';
import { ERR_REASON_AFFINITY, ERR_REASON_ANTI_AFFINITY, ERR_REASON_EXISTING_ANTI_AFFINITY } from './filtering.js';
import { newInterPodAffinity, type InterPodAffinityArgs } from './interPodAffinity.js';

const ZONE = 'topology.kubernetes.io/zone';
const HOST = 'kubernetes.io/hostname';

function term(labels: Record<string, string>, topologyKey: string, extra: Partial<PodAffinityTerm> = {}): PodAffinityTerm {
  return { labelSelector: { matchLabels: labels }, topologyKey, ...extra };
}

const nodes: Node[] = [
  makeNode('a1', { labels: { [ZONE]: 'a' } }),
  makeNode('a2', { labels: { [ZONE]: 'a' } }),
  makeNode('b1', { labels: { [ZONE]: 'b' } }),
  makeNode('nozone'),
];

const namespaces: NamespaceSource = {
  namespaceLabels: (name) => ({ team: name === 'other' ? 'blue' : 'red' }),
  namespaces: () => [
    ['default', { team: 'red' }],
    ['other', { team: 'blue' }],
  ],
};

/** Filter results by node name ("ok" or the reason), after PreFilter ("skip" when it skips). */
function filterAll(pod: Pod, existing: Pod[]): Record<string, string> | 'skip' {
  const infos = nodeInfosOf(nodes, existing);
  const plugin = newInterPodAffinity({ ...handleOver(infos), namespaces });
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

/** The filter verdict on node a1. */
function verdictOnA1(pod: Pod, existing: Pod[]): string {
  const all = filterAll(pod, existing);
  return all === 'skip' ? 'skip' : (all.a1 ?? 'missing');
}

const AFF = `UnschedulableAndUnresolvable: ${ERR_REASON_AFFINITY}`;
const ANTI = `Unschedulable: ${ERR_REASON_ANTI_AFFINITY}`;
const EXISTING = `Unschedulable: ${ERR_REASON_EXISTING_ANTI_AFFINITY}`;

function withAffinity(name: string, labels: Record<string, string>, affinity: Affinity, namespace?: string): Pod {
  return makePod(name, { labels, affinity, ...(namespace !== undefined ? { namespace } : {}) });
}

describe('InterPodAffinity filter', () => {
  it('skips pods without terms when no existing pod has required anti-affinity', () => {
    assert.equal(filterAll(makePod('p'), [makePod('x', { nodeName: 'a1', labels: { app: 'web' } })]), 'skip');
  });

  it('requires a matching pod in the same topology, and the topology label on the node', () => {
    const pod = withAffinity('p', {}, { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'db' }, ZONE)] } });
    const existing = [makePod('db', { nodeName: 'a1', labels: { app: 'db' } })];
    assert.deepEqual(filterAll(pod, existing), { a1: 'ok', a2: 'ok', b1: AFF, nozone: AFF });
  });

  it('lets the first pod of a self-affine group go anywhere with the topology label', () => {
    const pod = withAffinity('p', { app: 'web' }, { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'web' }, ZONE)] } });
    assert.deepEqual(filterAll(pod, []), { a1: 'ok', a2: 'ok', b1: 'ok', nozone: AFF });
    const notSelf = withAffinity('p', { app: 'other' }, { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'web' }, ZONE)] } });
    assert.deepEqual(filterAll(notSelf, []), { a1: AFF, a2: AFF, b1: AFF, nozone: AFF });
  });

  it('needs one pod matching all affinity terms together', () => {
    const pod = withAffinity('p', {}, {
      podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'db' }, ZONE), term({ tier: 'x' }, ZONE)] },
    });
    const split = [makePod('d', { nodeName: 'a1', labels: { app: 'db' } }), makePod('t', { nodeName: 'a2', labels: { tier: 'x' } })];
    assert.deepEqual(filterAll(pod, split), { a1: AFF, a2: AFF, b1: AFF, nozone: AFF });
    const both = [makePod('dt', { nodeName: 'b1', labels: { app: 'db', tier: 'x' } })];
    assert.deepEqual(filterAll(pod, both), { a1: AFF, a2: AFF, b1: 'ok', nozone: AFF });
  });

  it('keeps anti-affine pods out of topologies holding a matching pod', () => {
    const pod = withAffinity('p', { app: 'web' }, { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'web' }, HOST)] } });
    const existing = [makePod('w1', { nodeName: 'a1', labels: { app: 'web' } })];
    assert.deepEqual(filterAll(pod, existing), { a1: ANTI, a2: 'ok', b1: 'ok', nozone: 'ok' });
    const zonal = withAffinity('p', { app: 'web' }, { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'web' }, ZONE)] } });
    assert.deepEqual(filterAll(zonal, existing), { a1: ANTI, a2: ANTI, b1: 'ok', nozone: 'ok' });
  });

  it("honours existing pods' required anti-affinity against the incoming pod", () => {
    const guard = withAffinity('g', {}, { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'web' }, ZONE)] } });
    guard.spec!.nodeName = 'b1';
    assert.deepEqual(filterAll(makePod('p', { labels: { app: 'web' } }), [guard]), { a1: 'ok', a2: 'ok', b1: EXISTING, nozone: 'ok' });
    assert.equal(filterAll(makePod('p', { labels: { app: 'db' } }), [guard]), 'skip');
  });

  it('matches only the own namespace by default, listed namespaces, or a namespaceSelector', () => {
    const inOther = [makePod('w', { nodeName: 'a1', labels: { app: 'web' }, namespace: 'other' })];
    const own = withAffinity('p', {}, { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'web' }, HOST)] } });
    assert.equal(verdictOnA1(own, inOther), 'ok');
    const listed = withAffinity('p', {}, { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'web' }, HOST, { namespaces: ['other'] })] } });
    assert.equal(verdictOnA1(listed, inOther), ANTI);
    const selected = withAffinity('p', {}, {
      podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'web' }, HOST, { namespaceSelector: { matchLabels: { team: 'blue' } } })] },
    });
    assert.equal(verdictOnA1(selected, inOther), ANTI);
    const notSelected = withAffinity('p', {}, {
      podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'web' }, HOST, { namespaceSelector: { matchLabels: { team: 'green' } } })] },
    });
    assert.equal(verdictOnA1(notSelected, inOther), 'ok');
    const all = withAffinity('p', {}, { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'web' }, HOST, { namespaceSelector: {} })] } });
    assert.equal(verdictOnA1(all, inOther), ANTI);
  });

  it("tests existing pods' namespaceSelector against the incoming pod's namespace labels", () => {
    const guard = withAffinity('g', {}, {
      podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'web' }, HOST, { namespaceSelector: { matchLabels: { team: 'blue' } } })] },
    });
    guard.spec!.nodeName = 'a1';
    assert.equal(verdictOnA1(makePod('p', { labels: { app: 'web' }, namespace: 'other' }), [guard]), EXISTING);
    assert.equal(filterAll(makePod('p', { labels: { app: 'web' } }), [guard]), 'skip');
  });

  it('updates its counts when preemption adds or removes pods, on a clone only', () => {
    const pod = withAffinity('p', { app: 'web' }, { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'web' }, HOST)] } });
    const victim = makePod('w1', { nodeName: 'a1', labels: { app: 'web' } });
    const infos = nodeInfosOf(nodes, [victim]);
    const plugin = newInterPodAffinity(handleOver(infos));
    const state = new CycleState();
    plugin.preFilter(state, pod, infos);
    const a1 = infos[0] as NodeInfo;
    const a2 = infos[1] as NodeInfo;
    const whatIf = state.clone();
    plugin.removePod?.(whatIf, pod, { pod: victim, requests: new Map() }, a1);
    assert.equal(plugin.filter(whatIf, pod, a1).code, 'Success');
    assert.equal(plugin.filter(state, pod, a1).code, 'Unschedulable');
    plugin.addPod?.(whatIf, pod, { pod: victim, requests: new Map() }, a2);
    assert.equal(plugin.filter(whatIf, pod, a2).code, 'Unschedulable');
    const guard = withAffinity('g', {}, { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'web' }, ZONE)] } });
    plugin.addPod?.(whatIf, pod, { pod: guard, requests: new Map() }, infos[2] as NodeInfo);
    assert.deepEqual(plugin.filter(whatIf, pod, infos[2] as NodeInfo).reasons, [ERR_REASON_EXISTING_ANTI_AFFINITY]);
  });

  it('rejects a pod whose terms cannot be parsed', () => {
    const pod = withAffinity('p', {}, {
      podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: ZONE, labelSelector: { matchExpressions: [{ key: 'a', operator: 'Bogus' }] } }] },
    });
    const infos = nodeInfosOf(nodes);
    const outcome = newInterPodAffinity(handleOver(infos)).preFilter(new CycleState(), pod, infos);
    assert.equal(outcome.status.code, 'UnschedulableAndUnresolvable');
    assert.match(outcome.status.reasons[0] ?? '', /^parsing pod: /);
  });

  it('registers pod and node events', () => {
    const events = newInterPodAffinity(handleOver([])).eventsToRegister();
    assert.deepEqual(events.map((e) => `${e.resource}/${e.action}`), ['Pod/Add', 'Pod/Update', 'Pod/Delete', 'Node/Add', 'Node/Update']);
  });
});

function scoreAll(pod: Pod, existing: Pod[], args?: InterPodAffinityArgs): Record<string, number> | 'skip' {
  const infos = nodeInfosOf(nodes, existing);
  const plugin = newInterPodAffinity(handleOver(infos), args);
  const state = new CycleState();
  if (plugin.preScore(state, pod, infos).code === 'Skip') return 'skip';
  const scores: NodeScore[] = infos.map((info) => ({ name: info.name, score: plugin.score(state, pod, info) }));
  plugin.normalizeScores?.(state, pod, scores);
  return Object.fromEntries(scores.map((s) => [s.name, s.score]));
}

describe('InterPodAffinity score', () => {
  const db = makePod('db', { nodeName: 'a1', labels: { app: 'db' } });
  const cache = makePod('cache', { nodeName: 'b1', labels: { app: 'cache' } });

  it('skips when no term anywhere applies', () => {
    assert.equal(scoreAll(makePod('p'), [db, cache]), 'skip');
  });

  it('adds preferred affinity weights and subtracts preferred anti-affinity weights by topology, then maps min…max to 0…100', () => {
    const pod = withAffinity('p', {}, {
      podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, podAffinityTerm: term({ app: 'db' }, ZONE) }] },
      podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 5, podAffinityTerm: term({ app: 'cache' }, ZONE) }] },
    });
    // raw: a1 10, a2 10, b1 -5, nozone 0
    assert.deepEqual(scoreAll(pod, [db, cache]), { a1: 100, a2: 100, b1: 0, nozone: 33 });
  });

  it("counts existing pods' required affinity at hardPodAffinityWeight and their preferred terms", () => {
    const attracts = withAffinity('x', { app: 'x' }, { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'web' }, ZONE)] } });
    attracts.spec!.nodeName = 'b1';
    const repels = withAffinity('y', {}, { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 3, podAffinityTerm: term({ app: 'web' }, HOST) }] } });
    repels.spec!.nodeName = 'a1';
    const pod = makePod('p', { labels: { app: 'web' } });
    // raw: a1 -3, a2 0, b1 +1, nozone 0
    assert.deepEqual(scoreAll(pod, [attracts, repels]), { a1: 0, a2: 75, b1: 100, nozone: 75 });
    // weight 0 drops the required contribution: raw a1 -3, others 0
    assert.deepEqual(scoreAll(pod, [attracts, repels], { hardPodAffinityWeight: 0 }), { a1: 0, a2: 100, b1: 100, nozone: 100 });
    assert.equal(scoreAll(pod, [attracts, repels], { ignorePreferredTermsOfExistingPods: true }), 'skip');
  });

  it('skips when no node carries the preferred topology key', () => {
    const pod = withAffinity('p', {}, { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, podAffinityTerm: term({ app: 'db' }, 'region') }] } });
    assert.equal(scoreAll(pod, [db]), 'skip');
  });
});

describe('InterPodAffinity across cycles', () => {
  it('follows pods arriving, leaving and nodes changing labels from one cycle to the next', () => {
    const antiWeb: Affinity = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'web' }, ZONE)] } };
    let infos = nodeInfosOf(nodes, [withAffinity('w1', { app: 'web' }, antiWeb)].map((p) => ({ ...p, spec: { ...p.spec!, nodeName: 'a1' } })));
    const plugin = newInterPodAffinity({ snapshot: () => makeSnapshot(infos) });
    const verdicts = (pod: Pod): Record<string, string> => {
      const state = new CycleState();
      plugin.preFilter(state, pod, infos);
      return Object.fromEntries(infos.map((info) => [info.name, plugin.filter(state, pod, info).code]));
    };
    const incoming = withAffinity('p', { app: 'web' }, antiWeb);
    assert.deepEqual(verdicts(incoming), { a1: 'Unschedulable', a2: 'Unschedulable', b1: 'Success', nozone: 'Success' });
    const placed = { ...incoming, metadata: { ...incoming.metadata, name: 'w2' }, spec: { ...incoming.spec!, nodeName: 'b1' } };
    infos = infos.map((info) => (info.name === 'b1' ? makeNodeInfo(info.node, [placed]) : info));
    assert.deepEqual(verdicts(incoming), { a1: 'Unschedulable', a2: 'Unschedulable', b1: 'Unschedulable', nozone: 'Success' });
    infos = infos.map((info) => (info.name === 'a1' ? makeNodeInfo(makeNode('a1', { labels: { [ZONE]: 'b' } })) : info));
    assert.deepEqual(verdicts(incoming), { a1: 'Unschedulable', a2: 'Success', b1: 'Unschedulable', nozone: 'Success' });
    infos = infos.filter((info) => info.name !== 'b1');
    assert.deepEqual(verdicts(incoming), { a1: 'Success', a2: 'Success', nozone: 'Success' });
  });
});
