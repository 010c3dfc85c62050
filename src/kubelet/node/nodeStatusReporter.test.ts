import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NodeStatus } from 'kubernetes-types/core/v1.js';
import { statusChanged } from './nodeStatusReporter.js';

const status: NodeStatus = {
  capacity: { cpu: '2', memory: '1Gi', 'ephemeral-storage': '48318382000' },
  conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: '2026-01-01T00:00:00Z', lastTransitionTime: '2026-01-01T00:00:00Z' }],
  nodeInfo: { machineID: 'm', systemUUID: 'u', bootID: 'b', kernelVersion: 'k', osImage: 'o', containerRuntimeVersion: 'containerd://1.6.20', kubeletVersion: 'v', kubeProxyVersion: '', operatingSystem: 'linux', architecture: 'amd64' },
};

test('a new heartbeat or a differently written equal quantity is no change', () => {
  const next: NodeStatus = {
    ...status,
    capacity: { cpu: '2000m', memory: '1073741824', 'ephemeral-storage': '48318382k' },
    conditions: status.conditions?.map((c) => ({ ...c, lastHeartbeatTime: '2026-01-01T00:00:10Z' })),
  };
  assert.equal(statusChanged(status, next), false);
});

test('a changed condition, quantity or runtime version is a change', () => {
  assert.equal(statusChanged(status, { ...status, capacity: { ...status.capacity, cpu: '3' } }), true);
  assert.equal(statusChanged(status, { ...status, conditions: status.conditions?.map((c) => ({ ...c, status: 'False' })) }), true);
  assert.equal(statusChanged(status, { ...status, nodeInfo: { ...status.nodeInfo!, containerRuntimeVersion: 'containerd://2.0.0' } }), true);
  assert.equal(statusChanged(undefined, status), true);
});
