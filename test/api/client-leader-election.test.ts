/**
 * Leader election of the client library on a real Lease in kube-system of a real API
 * server: one candidate leads and renews, another takes over when the leader releases
 * the lease or stops renewing it, and a leader that loses its lease steps down.
 *
 * Most tests run the electors on a FakeClock with upstream's default durations (15 s
 * lease, 10 s renew deadline, 2 s retry): time moves in small steps, and after each
 * step the test waits until every request the electors sent has been answered, so
 * the server's answers arrive "between ticks". One test runs on the real clock.
 */
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock, LeaderElector, realClock, settle } from '../../src/client/index.js';
import type { Clock, LeaseObject, ResourceTarget } from '../../src/client/index.js';
import { connect, type ConnectedClient } from '../support/apiClient.js';
import { startInProcessApi, type InProcessApi } from '../support/inProcessApi.js';
import { waitUntil } from '../support/poll.js';
import type { TappedTransport } from '../support/tappedTransport.js';

const LEASE = 'k8ts-controller-manager';
const leases: ResourceTarget = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases', namespace: 'kube-system' };

/** Counts candidates leading at the same time. */
interface LeadershipTracker {
  now: number;
  most: number;
}

interface CandidateOptions {
  releaseOnCancel?: boolean;
  /** Lease duration, renew deadline and retry period in ms (default: upstream's 15 s, 10 s, 2 s). */
  durations?: [number, number, number];
  tracker?: LeadershipTracker;
}

interface Candidate {
  elector: LeaderElector;
  stop: AbortController;
  running: Promise<void>;
  /** Callback calls: `leader <id>`, `started`, `stopped`. */
  events: string[];
  leadingSignal: AbortSignal | undefined;
}

/** Waits until no request of `taps` is in flight and nothing more is about to be sent. */
async function quiesce(taps: TappedTransport[]): Promise<void> {
  for (let round = 0; round < 100; round++) {
    await settle();
    const busy = taps.filter((t) => t.inFlight > 0);
    if (busy.length === 0) return;
    await Promise.all(busy.map((t) => t.idle()));
  }
  throw new Error('requests kept being sent for 100 rounds');
}

describe('LeaderElector on a real Lease', () => {
  let api: InProcessApi;
  const connections: ConnectedClient[] = [];
  const candidates: Candidate[] = [];

  afterEach(async () => {
    const stopping = candidates.splice(0);
    for (const c of stopping) c.stop.abort();
    // Stopping releases the lease over the network: let those requests finish first.
    await Promise.all(stopping.map((c) => c.running));
    for (const c of connections.splice(0)) c.close();
    await api.stop();
  });

  async function startApi(): Promise<void> {
    api = await startInProcessApi();
  }

  /** Starts a candidate with its own connection. */
  function candidate(clock: Clock, identity: string, options: CandidateOptions = {}): Candidate {
    const conn = connect(api);
    connections.push(conn);
    const [leaseDurationMs, renewDeadlineMs, retryPeriodMs] = options.durations ?? [15_000, 10_000, 2_000];
    const events: string[] = [];
    const c: Partial<Candidate> = { events, stop: new AbortController() };
    c.elector = new LeaderElector({
      client: conn.client,
      clock,
      namespace: 'kube-system',
      name: LEASE,
      identity,
      leaseDurationMs,
      renewDeadlineMs,
      retryPeriodMs,
      releaseOnCancel: options.releaseOnCancel ?? true,
      random: () => 0,
      callbacks: {
        onStartedLeading: (signal) => {
          c.leadingSignal = signal;
          events.push('started');
          if (options.tracker) options.tracker.most = Math.max(options.tracker.most, ++options.tracker.now);
        },
        onStoppedLeading: () => {
          events.push('stopped');
          if (options.tracker) options.tracker.now--;
        },
        onNewLeader: (id) => events.push(`leader ${id}`),
      },
    });
    c.running = c.elector.run(c.stop!.signal);
    candidates.push(c as Candidate);
    return c as Candidate;
  }

  /** Moves `clock` forward by `ms` in steps, letting every request finish between steps. */
  async function pass(clock: FakeClock, ms: number, stepMs = 100): Promise<void> {
    const taps = connections.map((c) => c.tap);
    await quiesce(taps);
    for (let done = 0; done < ms; done += stepMs) {
      await clock.advance(Math.min(stepMs, ms - done));
      await quiesce(taps);
    }
  }

  async function lease(): Promise<LeaseObject> {
    const reader = connect(api);
    try {
      return await reader.client.get<LeaseObject>(leases, LEASE);
    } finally {
      reader.close();
    }
  }

  test('the first candidate creates the Lease and leads; the second sees who leads and waits', async () => {
    await startApi();
    const clock = new FakeClock();
    const a = candidate(clock, 'a');
    await pass(clock, 0);
    assert.equal(a.elector.isLeader(), true);
    const b = candidate(clock, 'b');
    await pass(clock, 5_000);
    assert.equal(b.elector.isLeader(), false);
    assert.equal(b.elector.getLeader(), 'a');
    assert.deepEqual(a.events, ['leader a', 'started']);
    assert.deepEqual(b.events, ['leader a']);
    const { spec, metadata } = await lease();
    assert.equal(metadata.namespace, 'kube-system');
    assert.equal(spec?.holderIdentity, 'a');
    assert.equal(spec?.leaseDurationSeconds, 15);
    assert.equal(spec?.leaseTransitions, 0);
    assert.match(spec?.renewTime ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  });

  test('the leader renews the Lease every retry period, keeping its acquire time', async () => {
    await startApi();
    const clock = new FakeClock();
    const a = candidate(clock, 'a');
    await pass(clock, 0);
    const first = (await lease()).spec!;
    await pass(clock, 2_000);
    const second = (await lease()).spec!;
    assert.equal(Date.parse(second.renewTime!) - Date.parse(first.renewTime!), 2_000);
    assert.equal(second.acquireTime, first.acquireTime);
    assert.equal(second.leaseTransitions, 0);
    assert.equal(a.elector.isLeader(), true);
  });

  test('a leader that stops releases the Lease; the other candidate takes over at its next retry', async () => {
    await startApi();
    const clock = new FakeClock();
    const a = candidate(clock, 'a');
    await pass(clock, 0);
    const b = candidate(clock, 'b');
    await pass(clock, 1_000);
    a.stop.abort();
    await a.running;
    assert.deepEqual(a.events, ['leader a', 'started', 'stopped']);
    assert.equal(a.leadingSignal?.aborted, true);
    assert.equal((await lease()).spec?.holderIdentity, '');
    await pass(clock, 2_000);
    assert.equal(b.elector.isLeader(), true);
    assert.deepEqual(b.events, ['leader a', 'leader b', 'started']);
    const { spec } = await lease();
    assert.equal(spec?.holderIdentity, 'b');
    assert.equal(spec?.leaseTransitions, 1);
  });

  test('a leader that stops without releasing is replaced only after its Lease ran out unrenewed', async () => {
    await startApi();
    const clock = new FakeClock();
    const a = candidate(clock, 'a', { releaseOnCancel: false });
    await pass(clock, 0);
    const b = candidate(clock, 'b');
    await pass(clock, 2_000);
    a.stop.abort();
    await a.running;
    assert.equal((await lease()).spec?.holderIdentity, 'a', 'as if a crashed');
    await pass(clock, 12_000);
    assert.equal(b.elector.isLeader(), false, 'not before 15 s since b last saw the Lease change');
    await pass(clock, 6_000);
    assert.equal(b.elector.isLeader(), true);
    const { spec } = await lease();
    assert.equal(spec?.holderIdentity, 'b');
    assert.equal(spec?.leaseTransitions, 1);
  });

  test('a leader whose Lease someone else took steps down once its renew deadline passed', async () => {
    await startApi();
    const clock = new FakeClock();
    const a = candidate(clock, 'a');
    await pass(clock, 0);
    const intruder = connect(api);
    connections.push(intruder);
    const current = await intruder.client.get<LeaseObject>(leases, LEASE);
    await intruder.client.update(leases, { ...current, spec: { ...current.spec, holderIdentity: 'intruder' } });
    await pass(clock, 2_000 + 9_000);
    assert.equal(a.elector.isLeader(), true, 'still within the renew deadline');
    await pass(clock, 2_000);
    await a.running;
    assert.equal(a.elector.isLeader(), false);
    assert.deepEqual(a.events, ['leader a', 'started', 'leader intruder', 'stopped']);
    assert.equal(a.leadingSignal?.aborted, true);
    assert.equal((await lease()).spec?.holderIdentity, 'intruder', 'a leader that lost the Lease does not release it');
  });

  test('two candidates racing for a free Lease: exactly one leads, and the other knows it', async () => {
    await startApi();
    const clock = new FakeClock();
    const tracker: LeadershipTracker = { now: 0, most: 0 };
    const a = candidate(clock, 'a', { tracker });
    const b = candidate(clock, 'b', { tracker });
    await pass(clock, 30_000, 500);
    const leaders = [a, b].filter((c) => c.elector.isLeader());
    assert.equal(leaders.length, 1);
    assert.equal(tracker.most, 1, 'never two leaders at once');
    const holder = (await lease()).spec?.holderIdentity;
    assert.equal(leaders[0] === a ? 'a' : 'b', holder);
    assert.equal(a.elector.getLeader(), holder);
    assert.equal(b.elector.getLeader(), holder);
  });

  test('on the real clock with short durations, the other candidate takes over after the leader stops', async () => {
    await startApi();
    const realTime: [number, number, number] = [1_000, 500, 200];
    const a = candidate(realClock, 'a', { durations: realTime });
    await waitUntil('a leads', () => a.elector.isLeader());
    const b = candidate(realClock, 'b', { durations: realTime });
    await waitUntil('b sees a lead', () => b.elector.getLeader() === 'a');
    a.stop.abort();
    await a.running;
    await waitUntil('b leads', () => b.elector.isLeader());
    assert.equal((await lease()).spec?.holderIdentity, 'b');
  });
});
