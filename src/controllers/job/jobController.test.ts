/**
 * The Job controller against a real API server (in process, memory store), on a fake
 * clock. Nothing runs pods here: the tests set pod phases and container states
 * themselves, as a kubelet would.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type ConnectedClient } from '../../../test/support/apiClient.js';
import { startInProcessApi, type InProcessApi } from '../../../test/support/inProcessApi.js';
import { pollUntil } from '../../../test/support/poll.js';
import { FakeClock } from '../../client/index.js';
import { ControllerManager } from '../manager.js';
import { jobControllerDescriptor } from './jobController.js';

const JOBS_PATH = '/apis/batch/v1/namespaces/default/jobs';
const PODS_PATH = '/api/v1/namespaces/default/pods';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const job = (name: string, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name },
  spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } }, ...spec },
});

const exited = (code: number, at: number) => ({
  containerStatuses: [{ name: 'c', image: 'busybox', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: code, finishedAt: new Date(at).toISOString().replace(/\.\d+Z$/, 'Z') } } }],
});

describe('job controller', () => {
  let api: InProcessApi;
  let connected: ConnectedClient;
  let manager: ControllerManager;
  const clock = new FakeClock(Date.now());

  const startManager = (): void => {
    manager = new ControllerManager({ client: connected.client, controllers: [jobControllerDescriptor], clock, log: () => undefined });
    manager.start();
  };
  const podsOf = async (name: string): Promise<Json[]> => (await api.request('GET', `${PODS_PATH}?labelSelector=batch.kubernetes.io%2Fjob-name%3D${name}`)).body.items;
  const activePods = (name: string, count: number) =>
    pollUntil(`${count} active pods of ${name}`, async () => {
      const pods = (await podsOf(name)).filter((p) => p.metadata.deletionTimestamp === undefined && !['Succeeded', 'Failed'].includes(p.status?.phase));
      return pods.length === count ? pods : undefined;
    });
  const jobOf = async (name: string): Promise<Json> => (await api.request('GET', `${JOBS_PATH}/${name}`)).body;
  const jobWhere = (name: string, what: string, test: (job: Json) => boolean) =>
    pollUntil(`${name}: ${what}`, async () => {
      const j = await jobOf(name);
      return test(j) ? j : undefined;
    });
  const condition = (j: Json, type: string): Json => (j.status?.conditions ?? []).find((c: Json) => c.type === type);
  const setPhase = async (pod: Json, phase: string, extra: Record<string, unknown> = {}) => {
    const res = await api.request('PATCH', `${PODS_PATH}/${pod.metadata.name}/status`, { body: { status: { phase, ...extra } }, contentType: 'application/merge-patch+json' });
    assert.equal(res.status, 200, res.text);
  };
  const eventsOf = async (name: string): Promise<Json[]> =>
    (await api.request('GET', `/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3D${name}`)).body.items;

  before(async () => {
    api = await startInProcessApi();
    connected = connect(api);
    startManager();
  });
  after(async () => {
    await manager.stop();
    connected.close();
    await api.stop();
  });

  test('completions 5 with parallelism 2 runs two pods at a time until five succeeded', async () => {
    const created = (await api.request('POST', JOBS_PATH, { body: job('five', { completions: 5, parallelism: 2 }) })).body;
    for (let done = 0; done < 5; ) {
      const pods = await activePods('five', Math.min(2, 5 - done));
      for (const pod of pods) {
        assert.deepEqual(pod.metadata.finalizers, ['batch.kubernetes.io/job-tracking']);
        assert.equal(pod.metadata.ownerReferences[0].uid, created.metadata.uid);
        assert.match(pod.metadata.name, /^five-[a-z0-9]{5}$/);
      }
      await setPhase(pods[0], 'Succeeded', exited(0, clock.now()));
      done++;
      await jobWhere('five', `${done} succeeded`, (j) => j.status?.succeeded === done);
    }
    const finished = await jobWhere('five', 'Complete', (j) => condition(j, 'Complete')?.status === 'True');
    assert.equal(finished.status.succeeded, 5);
    assert.equal(finished.status.failed ?? 0, 0);
    assert.equal(finished.status.active ?? 0, 0);
    assert.ok(finished.status.startTime);
    assert.ok(finished.status.completionTime);
    assert.equal(condition(finished, 'SuccessCriteriaMet').reason, 'CompletionsReached');
    assert.equal(condition(finished, 'Complete').reason, 'CompletionsReached');
    assert.equal(condition(finished, 'Complete').message, 'Reached expected number of succeeded pods');
    await pollUntil('finalizers removed', async () => {
      const pods = await podsOf('five');
      return pods.every((p) => (p.metadata.finalizers ?? []).length === 0) ? true : undefined;
    });
    const reasons = await pollUntil('events', async () => {
      const all = (await eventsOf('five')).map((e) => e.reason);
      return all.includes('Completed') ? all : undefined;
    });
    assert.equal(reasons.filter((r) => r === 'SuccessfulCreate').length, 5);
  });

  test('failed pods are replaced after the backoff until backoffLimit, then the Job fails', async () => {
    await api.request('POST', JOBS_PATH, { body: job('flaky', { backoffLimit: 1 }) });
    const [first] = await activePods('flaky', 1);
    await setPhase(first, 'Failed', exited(1, clock.now()));
    await jobWhere('flaky', 'one failure counted', (j) => j.status?.failed === 1);
    assert.equal((await podsOf('flaky')).length, 1, 'no replacement before the 10 s backoff');
    await clock.advance(10_500);
    const [second] = await activePods('flaky', 1);
    assert.notEqual(second.metadata.name, first.metadata.name);
    await setPhase(second, 'Failed', exited(1, clock.now()));
    const failed = await jobWhere('flaky', 'Failed', (j) => condition(j, 'Failed')?.status === 'True');
    assert.equal(failed.status.failed, 2);
    assert.equal(condition(failed, 'Failed').reason, 'BackoffLimitExceeded');
    assert.equal(condition(failed, 'Failed').message, 'Job has reached the specified backoff limit');
    assert.equal(condition(failed, 'FailureTarget').reason, 'BackoffLimitExceeded');
    assert.equal(failed.status.completionTime, undefined);
    await pollUntil('warning event', async () => ((await eventsOf('flaky')).some((e) => e.reason === 'BackoffLimitExceeded' && e.type === 'Warning') ? true : undefined));
  });

  test('an Indexed Job gives each pod its index and reports completed indexes as intervals', async () => {
    await api.request('POST', JOBS_PATH, { body: job('idx', { completions: 4, parallelism: 4, completionMode: 'Indexed' }) });
    const pods = await activePods('idx', 4);
    const byIndex = new Map<string, Json>(pods.map((p) => [p.metadata.annotations['batch.kubernetes.io/job-completion-index'], p]));
    assert.deepEqual([...byIndex.keys()].sort(), ['0', '1', '2', '3']);
    const two = byIndex.get('2');
    assert.equal(two.metadata.labels['batch.kubernetes.io/job-completion-index'], '2');
    assert.match(two.metadata.name, /^idx-2-[a-z0-9]{5}$/);
    assert.equal(two.spec.hostname, 'idx-2');
    assert.deepEqual(two.spec.containers[0].env, [
      { name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: "metadata.labels['batch.kubernetes.io/job-completion-index']" } } },
    ]);
    await setPhase(byIndex.get('0'), 'Succeeded', exited(0, clock.now()));
    await setPhase(byIndex.get('2'), 'Succeeded', exited(0, clock.now()));
    await jobWhere('idx', 'indexes 0,2', (j) => j.status?.completedIndexes === '0,2');
    await setPhase(byIndex.get('3'), 'Succeeded', exited(0, clock.now()));
    await jobWhere('idx', 'indexes 0,2,3', (j) => j.status?.completedIndexes === '0,2,3');
    await setPhase(byIndex.get('1'), 'Succeeded', exited(0, clock.now()));
    const done = await jobWhere('idx', 'Complete', (j) => condition(j, 'Complete')?.status === 'True');
    assert.equal(done.status.completedIndexes, '0-3');
    assert.equal(done.status.succeeded, 4);
  });

  test('backoffLimitPerIndex fails an index, and the Job once every index is done', async () => {
    await api.request('POST', JOBS_PATH, { body: job('perindex', { completions: 2, parallelism: 2, completionMode: 'Indexed', backoffLimitPerIndex: 0 }) });
    const pods = await activePods('perindex', 2);
    const index = (p: Json) => p.metadata.annotations['batch.kubernetes.io/job-completion-index'];
    assert.equal(pods[0].metadata.annotations['batch.kubernetes.io/job-index-failure-count'], '0');
    await setPhase(pods.find((p) => index(p) === '0'), 'Failed', exited(3, clock.now()));
    await jobWhere('perindex', 'failed index 0', (j) => j.status?.failedIndexes === '0');
    await setPhase(pods.find((p) => index(p) === '1'), 'Succeeded', exited(0, clock.now()));
    const failed = await jobWhere('perindex', 'Failed', (j) => condition(j, 'Failed')?.status === 'True');
    assert.equal(condition(failed, 'Failed').reason, 'FailedIndexes');
    assert.equal(failed.status.completedIndexes, '1');
    assert.equal(failed.status.failed, 1);
  });

  test('a successPolicy completes an Indexed Job early and removes the pods still running', async () => {
    await api.request('POST', JOBS_PATH, { body: job('leader', { completions: 3, parallelism: 3, completionMode: 'Indexed', successPolicy: { rules: [{ succeededIndexes: '0' }] } }) });
    const pods = await activePods('leader', 3);
    await setPhase(pods.find((p) => p.metadata.annotations['batch.kubernetes.io/job-completion-index'] === '0'), 'Succeeded', exited(0, clock.now()));
    const done = await jobWhere('leader', 'Complete', (j) => condition(j, 'Complete')?.status === 'True');
    assert.equal(condition(done, 'SuccessCriteriaMet').reason, 'SuccessPolicy');
    assert.equal(condition(done, 'Complete').message, 'Matched rules at index 0');
    assert.equal(done.status.completedIndexes, '0');
    assert.equal(done.status.failed ?? 0, 0);
    await pollUntil('the other pods gone', async () => ((await podsOf('leader')).length === 1 ? true : undefined));
  });

  test('podFailurePolicy ignores disruptions and fails the Job on a listed exit code', async () => {
    const podFailurePolicy = {
      rules: [
        { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] },
        { action: 'FailJob', onExitCodes: { containerName: 'c', operator: 'In', values: [42] } },
      ],
    };
    await api.request('POST', JOBS_PATH, { body: job('policy', { backoffLimit: 6, podFailurePolicy }) });
    const [first] = await activePods('policy', 1);
    await setPhase(first, 'Failed', { conditions: [{ type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI' }] });
    await pollUntil('ignored failure released', async () => (((await podsOf('policy'))[0]?.metadata.finalizers ?? []).length === 0 ? true : undefined));
    assert.equal((await jobOf('policy')).status?.failed ?? 0, 0);
    await clock.advance(10_500);
    const [second] = await activePods('policy', 1);
    assert.notEqual(second.metadata.name, first.metadata.name, 'an ignored failure is replaced after the backoff');
    await setPhase(second, 'Failed', exited(42, clock.now()));
    const failed = await jobWhere('policy', 'Failed', (j) => condition(j, 'Failed')?.status === 'True');
    assert.equal(condition(failed, 'Failed').reason, 'PodFailurePolicy');
    assert.equal(condition(failed, 'Failed').message, `Container c for pod default/${second.metadata.name} failed with exit code 42 matching FailJob rule at index 1`);
    assert.equal(failed.status.failed, 1);
  });

  test('activeDeadlineSeconds fails the Job and removes its running pods', async () => {
    await api.request('POST', JOBS_PATH, { body: job('slow', { activeDeadlineSeconds: 30, parallelism: 2, completions: 4 }) });
    await activePods('slow', 2);
    await clock.advance(31_000);
    const failed = await jobWhere('slow', 'Failed', (j) => condition(j, 'Failed')?.status === 'True');
    assert.equal(condition(failed, 'Failed').reason, 'DeadlineExceeded');
    assert.equal(condition(failed, 'Failed').message, 'Job was active longer than specified deadline');
    assert.equal(failed.status.active ?? 0, 0);
    assert.equal(failed.status.failed, 2);
    await pollUntil('pods gone', async () => ((await podsOf('slow')).length === 0 ? true : undefined));
  });

  test('a suspended Job runs no pods; resuming starts them and resets startTime', async () => {
    await api.request('POST', JOBS_PATH, { body: job('later', { suspend: true, parallelism: 2, completions: 2 }) });
    const suspended = await jobWhere('later', 'Suspended', (j) => condition(j, 'Suspended')?.status === 'True');
    assert.equal(condition(suspended, 'Suspended').reason, 'JobSuspended');
    assert.equal(suspended.status.startTime, undefined);
    assert.equal((await podsOf('later')).length, 0);
    await clock.advance(5_000);
    await api.request('PATCH', `${JOBS_PATH}/later`, { body: { spec: { suspend: false } }, contentType: 'application/merge-patch+json' });
    await activePods('later', 2);
    const resumed = await jobWhere('later', 'resumed', (j) => condition(j, 'Suspended')?.status === 'False');
    assert.equal(condition(resumed, 'Suspended').reason, 'JobResumed');
    assert.equal(Date.parse(resumed.status.startTime), Math.floor(clock.now() / 1000) * 1000);
    await api.request('PATCH', `${JOBS_PATH}/later`, { body: { spec: { suspend: true } }, contentType: 'application/merge-patch+json' });
    await pollUntil('pods removed on suspend', async () => ((await podsOf('later')).length === 0 ? true : undefined));
    const again = await jobWhere('later', 'suspended again', (j) => condition(j, 'Suspended')?.status === 'True');
    assert.equal(again.status.failed ?? 0, 0, 'pods removed by suspension are no failures');
  });

  test('no pod is counted twice, even across a controller restart', async () => {
    await api.request('POST', JOBS_PATH, { body: job('once', { completions: 6, parallelism: 3 }) });
    const pods = await activePods('once', 3);
    await Promise.all(pods.map((p) => setPhase(p, 'Succeeded', exited(0, clock.now()))));
    await manager.stop();
    startManager();
    for (let i = 0; i < 3; i++) {
      await api.request('PATCH', `${JOBS_PATH}/once`, { body: { metadata: { labels: { touch: String(i) } } }, contentType: 'application/merge-patch+json' });
    }
    const next = await activePods('once', 3);
    const counted = await jobWhere('once', '3 succeeded', (j) => j.status?.succeeded === 3 && (j.status.uncountedTerminatedPods?.succeeded ?? []).length === 0);
    assert.equal(counted.status.succeeded, 3);
    await Promise.all(next.map((p) => setPhase(p, 'Succeeded', exited(0, clock.now()))));
    const done = await jobWhere('once', 'Complete', (j) => condition(j, 'Complete')?.status === 'True');
    assert.equal(done.status.succeeded, 6);
    assert.equal((await podsOf('once')).length, 6);
  });
});
