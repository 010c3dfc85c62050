/**
 * The scheduling queue on a fake clock: priority order, per-pod exponential backoff
 * (1 s doubling to 10 s), unschedulable pods moved by the cluster events their
 * rejecting plugins registered (or after 5 minutes), gated pods, in-flight updates.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { FakeClock } from '../../client/index.js';
import { newPrioritySort } from '../plugins/queuesort/prioritySort.js';
import { SchedulingQueue, type QueuedPodInfo } from './schedulingQueue.js';

const pod = (name: string, extra: Partial<Pod['spec']> = {}): Pod => ({
  metadata: { name, namespace: 'default', uid: `uid-${name}` },
  spec: { containers: [{ name: 'c', image: 'busybox' }], ...extra },
});

function newQueue(clock: FakeClock): SchedulingQueue {
  const sort = newPrioritySort();
  return new SchedulingQueue({
    clock,
    less: (a, b) => sort.less(a, b),
    eventsByPlugin: new Map([
      ['NodeResourcesFit', [{ resource: 'Node', action: 'Add' }, { resource: 'Pod', action: 'Delete' }]],
      ['TaintToleration', [{ resource: 'Node', action: 'Update' }]],
    ]),
  });
}

const popName = async (queue: SchedulingQueue): Promise<string | undefined> => (await queue.pop())?.pod.metadata?.name;

describe('SchedulingQueue', () => {
  test('pops higher priority first, then first come first served', async () => {
    const clock = new FakeClock();
    const queue = newQueue(clock);
    queue.add(pod('a'));
    clock.step(1);
    queue.add(pod('b', { priority: 100 }));
    clock.step(1);
    queue.add(pod('c'));
    assert.deepEqual([await popName(queue), await popName(queue), await popName(queue)], ['b', 'a', 'c']);
  });

  test('a failed pod waits out a backoff doubling from 1 s up to 10 s', async () => {
    const clock = new FakeClock();
    const queue = newQueue(clock);
    queue.add(pod('p'));
    const waits: number[] = [];
    for (let attempt = 1; attempt <= 6; attempt++) {
      const info = (await queue.pop()) as QueuedPodInfo;
      assert.equal(info.attempts, attempt);
      queue.requeueFailed(info, new Set());
      const failedAt = clock.now();
      while (queue.counts().active === 0) {
        clock.step(100);
        queue.flushBackoff();
      }
      waits.push(clock.now() - failedAt);
    }
    assert.deepEqual(waits, [1000, 2000, 4000, 8000, 10000, 10000]);
  });

  test('an unschedulable pod moves on an event its rejecting plugin registered, not on others', async () => {
    const clock = new FakeClock();
    const queue = newQueue(clock);
    queue.add(pod('p'));
    queue.requeueFailed((await queue.pop()) as QueuedPodInfo, new Set(['NodeResourcesFit']));
    assert.deepEqual(queue.counts(), { active: 0, backoff: 0, unschedulable: 1, gated: 0 });
    queue.onEvent({ resource: 'Node', action: 'Update' });
    assert.equal(queue.counts().unschedulable, 1);
    queue.onEvent({ resource: 'Node', action: 'Add' });
    assert.deepEqual(queue.counts(), { active: 0, backoff: 1, unschedulable: 0, gated: 0 }, 'still backing off');
    clock.step(1000);
    queue.flushBackoff();
    assert.equal(await popName(queue), 'p');
  });

  test('an event the rejecting plugin cares about, arriving while the pod is in flight, sends it to backoff', async () => {
    const clock = new FakeClock();
    const queue = newQueue(clock);
    queue.add(pod('p'));
    const info = (await queue.pop()) as QueuedPodInfo;
    queue.onEvent({ resource: 'Pod', action: 'Delete' });
    queue.requeueFailed(info, new Set(['NodeResourcesFit']));
    assert.deepEqual(queue.counts(), { active: 0, backoff: 1, unschedulable: 0, gated: 0 });
    queue.add(pod('q'));
    const other = (await queue.pop()) as QueuedPodInfo;
    queue.onEvent({ resource: 'Pod', action: 'Delete' });
    queue.requeueFailed(other, new Set(['TaintToleration']));
    assert.equal(queue.counts().unschedulable, 1, 'an event its plugin does not care about leaves it parked');
  });

  test('unschedulable pods are retried after 5 minutes without any event', async () => {
    const clock = new FakeClock();
    const queue = newQueue(clock);
    queue.start();
    queue.add(pod('p'));
    queue.requeueFailed((await queue.pop()) as QueuedPodInfo, new Set(['TaintToleration']));
    clock.step(4 * 60_000);
    assert.equal(queue.counts().unschedulable, 1);
    clock.step(60_000 + 30_000);
    assert.equal(queue.counts().active, 1);
    queue.close();
  });

  test('gated pods wait until an update removes the gates; deleted pods leave every part', async () => {
    const clock = new FakeClock();
    const queue = newQueue(clock);
    queue.add(pod('g', { schedulingGates: [{ name: 'example.com/wait' }] }));
    queue.add(pod('gone'));
    queue.delete(pod('gone'));
    assert.deepEqual(queue.counts(), { active: 0, backoff: 0, unschedulable: 0, gated: 1 });
    queue.update(pod('g'));
    assert.equal(await popName(queue), 'g');
  });

  test('pods nominated to a node are listed for it until nominated elsewhere or deleted', () => {
    const queue = newQueue(new FakeClock());
    const nominated = (name: string, node: string): Pod => ({ ...pod(name), status: { nominatedNodeName: node } });
    queue.add(nominated('a', 'n1'));
    queue.add(pod('b'));
    queue.nominate(pod('b'), 'n1');
    assert.deepEqual(queue.nominatedPods('n1').map((p) => p.metadata?.name), ['a', 'b']);
    queue.update(nominated('a', 'n2'));
    queue.delete(pod('b'));
    assert.deepEqual(queue.nominatedPods('n1'), []);
    assert.deepEqual(queue.nominatedPods('n2').map((p) => p.metadata?.name), ['a']);
  });

  test('pop waits for a pod and returns undefined once closed', async () => {
    const clock = new FakeClock();
    const queue = newQueue(clock);
    const waiting = queue.pop();
    queue.add(pod('late'));
    assert.equal((await waiting)?.pod.metadata?.name, 'late');
    const closed = queue.pop();
    queue.close();
    assert.equal(await closed, undefined);
  });
});
