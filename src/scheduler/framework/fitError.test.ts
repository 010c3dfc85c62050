/**
 * The FailedScheduling summary in upstream's format: counts per reason sorted as
 * strings, the PreFilter message alone when PreFilter rejected, nodes PreFilter left
 * out counted under the absent-nodes reason, and the preemption suffix.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitErrorMessage } from './fitError.js';
import { unresolvable, unschedulable } from './status.js';

test('reasons are counted and sorted as strings, then the preemption message follows', () => {
  const nodeStatuses = new Map([
    ['a', unschedulable('Insufficient cpu')],
    ['b', unresolvable("node(s) didn't match Pod's node affinity/selector")],
    ['c', unresolvable("node(s) didn't match Pod's node affinity/selector")],
  ]);
  const message = fitErrorMessage({
    numAllNodes: 3,
    nodeStatuses,
    postFilterMessage: 'preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
  });
  assert.equal(message, "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.");
});

test('a node rejected for several reasons counts under each', () => {
  const message = fitErrorMessage({ numAllNodes: 2, nodeStatuses: new Map([['a', unschedulable('Insufficient cpu', 'Insufficient memory')], ['b', unschedulable('Insufficient memory')]]) });
  assert.equal(message, '0/2 nodes are available: 1 Insufficient cpu, 2 Insufficient memory.');
});

test('a PreFilter rejection is told once; nodes PreFilter left out get the absent-nodes reason', () => {
  assert.equal(fitErrorMessage({ numAllNodes: 4, nodeStatuses: new Map(), preFilterMessage: "node(s) didn't match pod topology spread constraints (missing required label)" }), "0/4 nodes are available: node(s) didn't match pod topology spread constraints (missing required label).");
  const absent = unresolvable("node(s) didn't satisfy plugin(s) [NodeAffinity]");
  assert.equal(fitErrorMessage({ numAllNodes: 5, nodeStatuses: new Map([['a', unschedulable('Insufficient cpu')]]), absentNodesStatus: absent }), "0/5 nodes are available: 1 Insufficient cpu, 4 node(s) didn't satisfy plugin(s) [NodeAffinity].");
});
