import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podsToDelete } from './deletionRanking.js';
import type { PodObject } from './podState.js';

const pod = (name: string, fields: { node?: string; phase?: string; ready?: boolean; restarts?: number; created?: string } = {}): PodObject => ({
  metadata: { name, creationTimestamp: fields.created ?? '2026-01-01T00:00:00Z' },
  spec: { containers: [{ name: 'c' }], ...(fields.node === undefined ? {} : { nodeName: fields.node }) },
  status: {
    phase: fields.phase ?? 'Pending',
    conditions: fields.ready === undefined ? [] : [{ type: 'Ready', status: fields.ready ? 'True' : 'False' }],
    containerStatuses: [{ name: 'c', image: 'i', imageID: '', ready: fields.ready ?? false, restartCount: fields.restarts ?? 0 }],
  },
});

const names = (pods: PodObject[]): string[] => pods.map((p) => p.metadata.name ?? '');

test('unassigned pods go before assigned ones, pending before unknown before running', () => {
  const pods = [pod('running', { node: 'n1', phase: 'Running' }), pod('unknown', { node: 'n2', phase: 'Unknown' }), pod('pending', { node: 'n3' }), pod('unassigned')];
  assert.deepEqual(names(podsToDelete(pods, 4)), ['unassigned', 'pending', 'unknown', 'running']);
});

test('not-ready before ready, doubled-up before alone, more restarts first, newer first', () => {
  assert.deepEqual(names(podsToDelete([pod('ready', { node: 'a', phase: 'Running', ready: true }), pod('unready', { node: 'b', phase: 'Running', ready: false })], 1)), ['unready']);
  const doubled = [pod('alone', { node: 'a', phase: 'Running' }), pod('twin1', { node: 'b', phase: 'Running' }), pod('twin2', { node: 'b', phase: 'Running' })];
  assert.deepEqual(names(podsToDelete(doubled, 2)).sort(), ['twin1', 'twin2']);
  assert.deepEqual(names(podsToDelete([pod('calm', { restarts: 0 }), pod('crashy', { restarts: 5 })], 1)), ['crashy']);
  assert.deepEqual(names(podsToDelete([pod('old', { created: '2026-01-01T00:00:00Z' }), pod('new', { created: '2026-01-02T00:00:00Z' })], 1)), ['new']);
  assert.deepEqual(podsToDelete([pod('x')], 0), []);
});
