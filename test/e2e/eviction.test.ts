/**
 * e2e: the kubelet's eviction manager on a real k8ts server. The hard threshold is set
 * just below the machine's memory (memory.available<MemTotal−1Mi), so it is met from
 * the start without exhausting anything: the node reports MemoryPressure and carries
 * the memory-pressure taint, and of a BestEffort and a Guaranteed pod the BestEffort one
 * is evicted first — Failed, reason Evicted, upstream's message, a DisruptionTarget
 * condition and an Evicted event — seen with the real kubectl.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { bindKubectl } from '../support/boundKubectl.js';
import type { TestCluster } from '../support/cluster.js';
import { startCluster } from '../support/cluster.js';
import { busyboxPod, listManifest } from '../support/manifests.js';
import { pollUntil } from '../support/poll.js';

interface PodJson {
  status: { phase?: string; reason?: string; message?: string; conditions?: { type: string; status: string; reason?: string; message?: string }[] };
}

interface NodeJson {
  spec: { taints?: { key: string; effect: string }[] };
  status: { conditions: { type: string; status: string; reason: string; message: string }[] };
}

/** The machine's memory in KiB, from /proc/meminfo. */
function memTotalKi(): number {
  const match = /^MemTotal:\s+(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'utf8'));
  assert.ok(match?.[1] !== undefined, 'MemTotal in /proc/meminfo');
  return Number(match[1]);
}

/** A `sleep` pod named `name` on `node`; `resources` makes it Guaranteed, none BestEffort. */
function pod(name: string, node: string, resources?: Record<string, string>): Pod {
  return busyboxPod(name, node, {
    container: resources !== undefined ? { resources: { requests: resources, limits: resources } } : {},
    spec: { terminationGracePeriodSeconds: 30, tolerations: [{ key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' }] },
  });
}

describe('kubelet eviction under a memory threshold the node already meets', () => {
  let cluster: TestCluster;
  let node = '';
  const k = bindKubectl(() => cluster, 'kubectl');
  const getPod = async (name: string): Promise<PodJson> => JSON.parse(await k.ok(['get', 'pod', name, '-o', 'json'])) as PodJson;

  before(async () => {
    const threshold = `memory.available<${memTotalKi() - 1024}Ki`;
    cluster = await startCluster(['--eviction-hard', threshold, '--eviction-pressure-transition-period', '30s']);
    node = await pollUntil('the node', async () => (await k.ok(['get', 'nodes', '-o', 'jsonpath={.items[0].metadata.name}'])) || undefined);
  });
  after(() => cluster.stop());

  test('the node reports MemoryPressure and is tainted memory-pressure:NoSchedule', async () => {
    const tainted = await pollUntil('memory pressure and its taint', async () => {
      const json = JSON.parse(await k.ok(['get', 'node', node, '-o', 'json'])) as NodeJson;
      const pressure = json.status.conditions.find((c) => c.type === 'MemoryPressure');
      const taint = json.spec.taints?.find((t) => t.key === 'node.kubernetes.io/memory-pressure');
      return pressure?.status === 'True' && taint !== undefined ? { pressure, taint } : undefined;
    }, 60_000, 500);
    assert.equal(tainted.pressure.reason, 'KubeletHasInsufficientMemory');
    assert.equal(tainted.pressure.message, 'kubelet has insufficient memory available');
    assert.equal(tainted.taint.effect, 'NoSchedule');
    assert.match(await k.ok(['describe', 'node', node]), /Taints:\s+node\.kubernetes\.io\/memory-pressure:NoSchedule/);
  });

  test('a BestEffort pod is evicted before a Guaranteed one, with upstream status, message and event', async () => {
    await k.ok(['apply', '-f', '-'], { input: listManifest([pod('best-effort', node), pod('guaranteed', node, { cpu: '50m', memory: '64Mi' })]) });
    const evicted = await pollUntil('the BestEffort pod evicted', async () => {
      const json = await getPod('best-effort');
      return json.status.phase === 'Failed' ? json : undefined;
    }, 90_000, 250);
    const guaranteedPhase = (await getPod('guaranteed')).status.phase;
    assert.notEqual(guaranteedPhase, 'Failed', 'the Guaranteed pod is still there when the BestEffort one is evicted');
    assert.equal(evicted.status.reason, 'Evicted');
    const message = evicted.status.message ?? '';
    assert.match(message, /^The node was low on resource: memory\. Threshold quantity: \d+Ki, available: \S+\. /);
    const disruption = evicted.status.conditions?.find((c) => c.type === 'DisruptionTarget');
    assert.equal(disruption?.status, 'True');
    assert.equal(disruption?.reason, 'TerminationByKubelet');
    assert.equal(disruption?.message, message);
    assert.equal(await k.ok(['get', 'pod', 'best-effort', '-o', 'jsonpath={.status.containerStatuses[0].state.running}']), '', 'its container is stopped');

    const events = await pollUntil('the Evicted event', async () => {
      const json = JSON.parse(await k.ok(['get', 'events', '-o', 'json'])) as { items: { reason: string; type: string; message: string; involvedObject: { name: string } }[] };
      return json.items.find((e) => e.reason === 'Evicted' && e.involvedObject.name === 'best-effort');
    }, 30_000, 500);
    assert.equal(events.type, 'Warning');
    assert.equal(events.message, message);

    const later = await pollUntil('the Guaranteed pod evicted next', async () => {
      const json = await getPod('guaranteed');
      return json.status.phase === 'Failed' ? json : undefined;
    }, 90_000, 500);
    assert.equal(later.status.reason, 'Evicted');
    assert.match(later.status.message ?? '', /^The node was low on resource: memory\./);
    const stillStopped = await getPod('best-effort');
    assert.equal(stillStopped.status.phase, 'Failed', 'an evicted pod is not restarted');
  });
});
