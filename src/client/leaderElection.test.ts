// Leader election against a real API server: test/api/client-leader-election.test.ts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LeaderElector } from './leaderElection.js';
import { RestClient } from './restClient.js';

describe('LeaderElector', () => {
  test('rejects inconsistent durations and an empty identity before any request', () => {
    const client = new RestClient({ request: () => Promise.reject(new Error('no request expected')) });
    const callbacks = { onStartedLeading: () => {}, onStoppedLeading: () => {} };
    const base = { client, namespace: 'ns', name: 'l', identity: 'x', callbacks };
    assert.throws(() => new LeaderElector({ ...base, leaseDurationMs: 10_000, renewDeadlineMs: 10_000 }), /leaseDuration/);
    assert.throws(() => new LeaderElector({ ...base, renewDeadlineMs: 2_000, retryPeriodMs: 2_000 }), /renewDeadline/);
    assert.throws(() => new LeaderElector({ ...base, identity: '' }), /identity/);
    assert.doesNotThrow(() => new LeaderElector(base));
  });
});
