import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from './clock.js';
import { LeaderElector } from './leaderElection.js';
import type { LeaseObject } from './leaderElection.js';
import { RestClient } from './restClient.js';
import { FakeApiServer } from './testing/fakeApi.js';
import { eventually } from './testing/eventually.js';

const leases = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases', namespace: 'kube-system' };

interface Candidate {
  elector: LeaderElector;
  stop: AbortController;
  running: Promise<void>;
  events: string[];
  leadingSignal: AbortSignal | undefined;
}

function candidate(client: RestClient, clock: FakeClock, identity: string, releaseOnCancel = true): Candidate {
  const events: string[] = [];
  const c: Partial<Candidate> = { events };
  c.elector = new LeaderElector({
    client,
    clock,
    namespace: 'kube-system',
    name: 'k8ts-controller-manager',
    identity,
    releaseOnCancel,
    random: () => 0,
    callbacks: {
      onStartedLeading: (signal) => {
        c.leadingSignal = signal;
        events.push('started');
      },
      onStoppedLeading: () => events.push('stopped'),
      onNewLeader: (id) => events.push(`leader ${id}`),
    },
  });
  c.stop = new AbortController();
  c.running = c.elector.run(c.stop.signal);
  return c as Candidate;
}

async function lease(client: RestClient): Promise<LeaseObject> {
  return client.get<LeaseObject>(leases, 'k8ts-controller-manager');
}

describe('LeaderElector', () => {
  test('the first candidate creates the lease and leads; the second waits', async () => {
    const api = new FakeApiServer();
    const client = new RestClient(api);
    const clock = new FakeClock();
    const a = candidate(client, clock, 'a');
    await eventually(() => a.elector.isLeader(), 'a leads');
    const b = candidate(client, clock, 'b');
    await clock.advance(5_000);
    assert.equal(b.elector.isLeader(), false);
    assert.equal(b.elector.getLeader(), 'a');
    assert.deepEqual(a.events, ['leader a', 'started']);
    assert.deepEqual(b.events, ['leader a']);
    const spec = (await lease(client)).spec!;
    assert.equal(spec.holderIdentity, 'a');
    assert.equal(spec.leaseDurationSeconds, 15);
    assert.equal(spec.leaseTransitions, 0);
    assert.match(spec.renewTime!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    for (const c of [a, b]) c.stop.abort();
    await Promise.all([a.running, b.running]);
    assert.equal(clock.pendingTimers(), 0);
  });

  test('the leader renews the lease every retry period, keeping its acquire time', async () => {
    const api = new FakeApiServer();
    const client = new RestClient(api);
    const clock = new FakeClock();
    const a = candidate(client, clock, 'a');
    await eventually(() => a.elector.isLeader(), 'a leads');
    const first = (await lease(client)).spec!;
    await clock.advance(2_000);
    const second = (await lease(client)).spec!;
    assert.ok(Date.parse(second.renewTime!) > Date.parse(first.renewTime!));
    assert.equal(second.acquireTime, first.acquireTime);
    assert.equal(second.leaseTransitions, 0);
    a.stop.abort();
    await a.running;
  });

  test('another candidate takes over only after the lease expired unrenewed', async () => {
    const api = new FakeApiServer();
    const client = new RestClient(api);
    const clock = new FakeClock();
    const a = candidate(client, clock, 'a', false);
    await eventually(() => a.elector.isLeader(), 'a leads');
    const b = candidate(client, clock, 'b');
    await clock.advance(2_000);
    // a stops without releasing (as if it crashed): its lease runs out on b's clock.
    a.stop.abort();
    await a.running;
    assert.deepEqual(a.events, ['leader a', 'started', 'stopped']);
    assert.equal(a.leadingSignal?.aborted, true);
    const stoppedAt = clock.now();
    await clock.advance(12_000);
    assert.equal(b.elector.isLeader(), false, 'not before 15 s since b last saw the lease change');
    await clock.advance(6_000);
    assert.equal(b.elector.isLeader(), true);
    assert.ok(clock.now() - stoppedAt >= 15_000);
    const spec = (await lease(client)).spec!;
    assert.equal(spec.holderIdentity, 'b');
    assert.equal(spec.leaseTransitions, 1);
    assert.deepEqual(b.events, ['leader a', 'leader b', 'started']);
    b.stop.abort();
    await b.running;
  });

  test('releasing on stop lets the next candidate take over at its next retry', async () => {
    const api = new FakeApiServer();
    const client = new RestClient(api);
    const clock = new FakeClock();
    const a = candidate(client, clock, 'a');
    await eventually(() => a.elector.isLeader(), 'a leads');
    const b = candidate(client, clock, 'b');
    await clock.advance(1_000);
    a.stop.abort();
    await a.running;
    assert.equal((await lease(client)).spec!.holderIdentity, '');
    await clock.advance(2_000);
    assert.equal(b.elector.isLeader(), true);
    b.stop.abort();
    await b.running;
  });

  test('a leader that cannot renew within the renew deadline steps down', async () => {
    const api = new FakeApiServer();
    const client = new RestClient(api);
    const clock = new FakeClock();
    const a = candidate(client, clock, 'a');
    await eventually(() => a.elector.isLeader(), 'a leads');
    api.injectFailure((r) => r.method === 'PUT', { status: 500, body: 'etcd down' }, 1000);
    await clock.advance(2_000 + 9_000);
    assert.equal(a.elector.isLeader(), true, 'still within the renew deadline');
    await clock.advance(2_000);
    await a.running;
    assert.equal(a.elector.isLeader(), false);
    assert.deepEqual(a.events, ['leader a', 'started', 'stopped']);
    assert.equal(a.leadingSignal?.aborted, true);
    assert.equal(clock.pendingTimers(), 0);
  });

  test('two candidates racing for a free lease never both lead', async () => {
    const api = new FakeApiServer();
    const client = new RestClient(api);
    const clock = new FakeClock();
    const a = candidate(client, clock, 'a');
    const b = candidate(client, clock, 'b');
    await clock.advance(30_000);
    const leaders = [a, b].filter((c) => c.elector.isLeader());
    assert.equal(leaders.length, 1);
    for (const c of [a, b]) c.stop.abort();
    await Promise.all([a.running, b.running]);
  });

  test('rejects inconsistent durations', () => {
    const client = new RestClient(new FakeApiServer());
    const callbacks = { onStartedLeading: () => {}, onStoppedLeading: () => {} };
    const base = { client, namespace: 'ns', name: 'l', identity: 'x', callbacks };
    assert.throws(() => new LeaderElector({ ...base, leaseDurationMs: 10_000, renewDeadlineMs: 10_000 }));
    assert.throws(() => new LeaderElector({ ...base, renewDeadlineMs: 2_000, retryPeriodMs: 2_000 }));
  });
});
