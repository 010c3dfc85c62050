import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { isCriticalPod, podRequest, rankForEviction, type PodUsage } from './ranking.js';

const Mi = 1024 * 1024;

function pod(name: string, options: { memory?: string; storage?: string; priority?: number; annotations?: Record<string, string> } = {}): Pod {
  const requests: Record<string, string> = {};
  if (options.memory !== undefined) requests.memory = options.memory;
  if (options.storage !== undefined) requests['ephemeral-storage'] = options.storage;
  return {
    metadata: { name, uid: name, ...(options.annotations !== undefined ? { annotations: options.annotations } : {}) },
    spec: { ...(options.priority !== undefined ? { priority: options.priority } : {}), containers: [{ name: 'main', resources: { requests } }] },
  };
}

function usage(entries: Record<string, { memory?: number; disk?: number; processes?: number }>): Map<string, PodUsage> {
  return new Map(Object.entries(entries).map(([uid, u]) => [uid, {
    containers: [{ name: 'main', memoryWorkingSetBytes: u.memory ?? 0, diskBytes: u.disk ?? 0, inodes: 0 }],
    processes: u.processes ?? 0,
  }]));
}

const names = (pods: Pod[]): string[] => pods.map((p) => p.metadata?.name ?? '');

test('memory: pods above their request first, then lower priority, then more usage above the request', () => {
  const pods = [
    pod('guaranteed-small', { memory: '100Mi' }),
    pod('best-effort-high', { priority: 1000 }),
    pod('burstable-over', { memory: '10Mi' }),
    pod('best-effort-low'),
  ];
  const used = usage({
    'guaranteed-small': { memory: 50 * Mi },
    'best-effort-high': { memory: 500 * Mi },
    'burstable-over': { memory: 30 * Mi },
    'best-effort-low': { memory: 5 * Mi },
  });
  assert.deepEqual(names(rankForEviction(pods, 'memory', used)), ['burstable-over', 'best-effort-low', 'best-effort-high', 'guaranteed-small']);
});

test('disk: the same order with disk usage and ephemeral-storage requests', () => {
  const pods = [pod('within', { storage: '1Gi' }), pod('small'), pod('big')];
  const used = usage({ within: { disk: 10 * Mi }, small: { disk: Mi }, big: { disk: 100 * Mi } });
  assert.deepEqual(names(rankForEviction(pods, 'ephemeral-storage', used)), ['big', 'small', 'within']);
});

test('pids: lower priority first, then more processes', () => {
  const pods = [pod('many-high', { priority: 10 }), pod('few'), pod('many')];
  const used = usage({ 'many-high': { processes: 90 }, few: { processes: 2 }, many: { processes: 40 } });
  assert.deepEqual(names(rankForEviction(pods, 'pids', used)), ['many', 'few', 'many-high']);
});

test('critical pods — static, mirror, system-critical priority — are never candidates', () => {
  const critical = [
    pod('static', { annotations: { 'kubernetes.io/config.source': 'file' } }),
    pod('mirror', { annotations: { 'kubernetes.io/config.mirror': 'abc' } }),
    pod('system', { priority: 2_000_001_000 }),
  ];
  for (const p of critical) assert.equal(isCriticalPod(p), true, p.metadata?.name);
  assert.equal(isCriticalPod(pod('api', { annotations: { 'kubernetes.io/config.source': 'api' } })), false);
  assert.deepEqual(names(rankForEviction([...critical, pod('plain')], 'memory', new Map())), ['plain']);
});

test('a pod request is the containers sum or the largest init container', () => {
  const p: Pod = {
    spec: {
      initContainers: [{ name: 'init', resources: { requests: { memory: '300Mi' } } }],
      containers: [{ name: 'a', resources: { requests: { memory: '100Mi' } } }, { name: 'b', resources: { limits: { memory: '100Mi' } } }],
    },
  };
  assert.equal(podRequest(p, 'memory'), 300 * Mi);
});
