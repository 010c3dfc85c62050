/**
 * The CronJob controller against a real API server (in process, memory store) on a
 * fake clock: Jobs at schedule times with deterministic names, concurrency policies,
 * history limits, missed schedules after downtime, starting deadlines, time zones and
 * suspension. No Job controller runs: tests finish Jobs by writing their status.
 */
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type ConnectedClient } from '../../../test/support/apiClient.js';
import { startInProcessApi, type InProcessApi } from '../../../test/support/inProcessApi.js';
import { pollUntil } from '../../../test/support/poll.js';
import { FakeClock } from '../../client/index.js';
import { ControllerManager } from '../manager.js';
import { cronJobControllerDescriptor } from './cronJobController.js';

const CRONJOBS_PATH = '/apis/batch/v1/namespaces/default/cronjobs';
const JOBS_PATH = '/apis/batch/v1/namespaces/default/jobs';
const MINUTE = 60_000;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const cronJob = (name: string, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name },
  spec: {
    schedule: '* * * * *',
    jobTemplate: { metadata: { labels: { cron: name } }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } },
    ...spec,
  },
});

describe('cronjob controller', () => {
  let api: InProcessApi;
  let connected: ConnectedClient;
  let manager: ControllerManager;
  let clock: FakeClock;

  const startManager = (): void => {
    manager = new ControllerManager({ client: connected.client, controllers: [cronJobControllerDescriptor], clock, log: () => undefined });
    manager.start();
  };

  const create = async (name: string, spec: Record<string, unknown> = {}): Promise<Json> => {
    const res = await api.request('POST', CRONJOBS_PATH, { body: cronJob(name, spec) });
    assert.equal(res.status, 201, res.text);
    return res.body;
  };
  /** Moves the fake clock to `seconds` past the `minutes`-th minute boundary after the CronJob's creation. */
  const advanceTo = async (created: Json, minutes: number, seconds = 1) => {
    const boundary = Math.floor(Date.parse(created.metadata.creationTimestamp) / MINUTE) * MINUTE + minutes * MINUTE;
    const target = boundary + seconds * 1000;
    if (target > clock.now()) await clock.advance(target - clock.now());
  };
  const jobsOf = async (name: string): Promise<Json[]> => (await api.request('GET', `${JOBS_PATH}?labelSelector=cron%3D${name}`)).body.items.filter((j: Json) => j.metadata.deletionTimestamp === undefined);
  const jobCount = (name: string, count: number) =>
    pollUntil(`${count} jobs of ${name}`, async () => {
      const jobs = await jobsOf(name);
      return jobs.length === count ? jobs.sort((a, b) => a.metadata.name.localeCompare(b.metadata.name)) : undefined;
    });
  const statusOf = async (name: string): Promise<Json> => (await api.request('GET', `${CRONJOBS_PATH}/${name}`)).body.status ?? {};
  const eventReasons = async (name: string): Promise<string[]> =>
    (await api.request('GET', `/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3D${name}`)).body.items.map((e: Json) => e.reason);
  const finish = async (job: Json, type: 'Complete' | 'Failed', startMs: number) => {
    const at = new Date(clock.now()).toISOString().replace(/\.\d+Z$/, 'Z');
    const start = new Date(startMs).toISOString().replace(/\.\d+Z$/, 'Z');
    const status: Json = { startTime: start, conditions: [{ type, status: 'True', lastTransitionTime: at }] };
    if (type === 'Complete') Object.assign(status, { completionTime: at, succeeded: 1 });
    else status.failed = 1;
    if (type === 'Complete') status.conditions.unshift({ type: 'SuccessCriteriaMet', status: 'True', lastTransitionTime: at });
    else status.conditions.unshift({ type: 'FailureTarget', status: 'True', lastTransitionTime: at });
    const res = await api.request('PATCH', `${JOBS_PATH}/${job.metadata.name}/status`, { body: { status }, contentType: 'application/merge-patch+json' });
    assert.equal(res.status, 200, res.text);
  };

  before(async () => {
    api = await startInProcessApi();
    connected = connect(api);
  });
  // Each test gets a fresh clock at wall time, as the API server stamps creation times by the wall clock.
  beforeEach(() => {
    clock = new FakeClock(Date.now());
    startManager();
  });
  afterEach(() => manager.stop());
  after(async () => {
    connected.close();
    await api.stop();
  });

  test('every minute a Job named after its scheduled minute; Allow lets them overlap', async () => {
    const created = await create('minutely', { timeZone: 'Asia/Kolkata' });
    await advanceTo(created, 1);
    const [first] = await jobCount('minutely', 1);
    const scheduled = Math.floor(Date.parse(created.metadata.creationTimestamp) / MINUTE) * MINUTE + MINUTE;
    assert.equal(first.metadata.name, `minutely-${scheduled / MINUTE}`);
    assert.deepEqual(first.metadata.ownerReferences, [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'minutely', uid: created.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    assert.match(first.metadata.annotations['batch.kubernetes.io/cronjob-scheduled-timestamp'], /^\d{4}-\d\d-\d\dT\d\d:\d\d:00\+05:30$/);
    assert.equal(Date.parse(first.metadata.annotations['batch.kubernetes.io/cronjob-scheduled-timestamp']), scheduled);
    const status = await pollUntil('status', async () => {
      const s = await statusOf('minutely');
      return s.active?.length === 1 ? s : undefined;
    });
    assert.equal(Date.parse(status.lastScheduleTime), scheduled);
    assert.equal(status.active[0].name, first.metadata.name);
    await advanceTo(created, 2);
    await jobCount('minutely', 2);
    await pollUntil('two active', async () => ((await statusOf('minutely')).active?.length === 2 ? true : undefined));
    await api.request('PATCH', `${CRONJOBS_PATH}/minutely`, { body: { spec: { suspend: true } }, contentType: 'application/merge-patch+json' });
  });

  test('Forbid skips a run while one is active; Replace deletes the running one', async () => {
    const forbid = await create('forbid', { concurrencyPolicy: 'Forbid' });
    await create('replace', { concurrencyPolicy: 'Replace' });
    await advanceTo(forbid, 1);
    const [forbidFirst] = await jobCount('forbid', 1);
    const [replaceFirst] = await jobCount('replace', 1);
    await pollUntil('both active', async () => ((await statusOf('forbid')).active?.length === 1 && (await statusOf('replace')).active?.length === 1 ? true : undefined));
    await advanceTo(forbid, 2);
    await pollUntil('JobAlreadyActive', async () => ((await eventReasons('forbid')).includes('JobAlreadyActive') ? true : undefined));
    assert.equal((await jobsOf('forbid')).length, 1);
    const [replaced] = await pollUntil('replaced', async () => {
      const jobs = await jobsOf('replace');
      return jobs.length === 1 && jobs[0].metadata.name !== replaceFirst.metadata.name ? jobs : undefined;
    });
    assert.equal(replaced.metadata.name, `replace-${Number(replaceFirst.metadata.name.split('-')[1]) + 1}`);
    await finish(forbidFirst, 'Complete', clock.now());
    // The skipped time is still unmet (no starting deadline): it runs, late, once the first is done.
    const [, late] = await jobCount('forbid', 2);
    assert.equal(late.metadata.name, `forbid-${Number(forbidFirst.metadata.name.split('-')[1]) + 1}`);
    await pollUntil('forbid lists the late run only', async () => {
      const active = (await statusOf('forbid')).active ?? [];
      return active.length === 1 && active[0].name === late.metadata.name ? true : undefined;
    });
    for (const name of ['forbid', 'replace']) await api.request('PATCH', `${CRONJOBS_PATH}/${name}`, { body: { spec: { suspend: true } }, contentType: 'application/merge-patch+json' });
  });

  test('history limits keep the newest finished Jobs; lastSuccessfulTime follows completions', async () => {
    const created = await create('history', { successfulJobsHistoryLimit: 1, failedJobsHistoryLimit: 1 });
    for (let minute = 1; minute <= 4; minute++) {
      await advanceTo(created, minute);
      const jobs = await pollUntil(`job of minute ${minute}`, async () => {
        const all = await jobsOf('history');
        return all.some((j) => j.status?.conditions === undefined) ? all : undefined;
      });
      const running = jobs.find((j) => j.status?.conditions === undefined);
      await finish(running, minute % 2 === 0 ? 'Failed' : 'Complete', clock.now());
    }
    await advanceTo(created, 4, 30);
    const kept = await pollUntil('one of each kept', async () => {
      const all = await jobsOf('history');
      return all.length === 2 ? all : undefined;
    });
    const finished = (j: Json) => j.status.conditions.at(-1).type;
    assert.deepEqual(kept.map(finished).sort(), ['Complete', 'Failed']);
    const scheduledMinute = (j: Json) => Number(j.metadata.name.split('-')[1]);
    const base = Math.floor(Date.parse(created.metadata.creationTimestamp) / MINUTE);
    assert.deepEqual(kept.map(scheduledMinute).sort(), [base + 3, base + 4]);
    const status = await pollUntil('lastSuccessfulTime', async () => {
      const s = await statusOf('history');
      return s.lastSuccessfulTime !== undefined && (s.active ?? []).length === 0 ? s : undefined;
    });
    assert.ok(Date.parse(status.lastSuccessfulTime) >= (base + 3) * MINUTE);
    assert.ok((await eventReasons('history')).includes('SuccessfulDelete'));
    await api.request('PATCH', `${CRONJOBS_PATH}/history`, { body: { spec: { suspend: true } }, contentType: 'application/merge-patch+json' });
  });

  test('after downtime only the most recent missed time runs, with a warning past 100 missed', async () => {
    await manager.stop();
    const created = await create('missed');
    await advanceTo(created, 180, 5);
    startManager();
    const [only] = await jobCount('missed', 1);
    const base = Math.floor(Date.parse(created.metadata.creationTimestamp) / MINUTE);
    assert.equal(only.metadata.name, `missed-${base + 180}`);
    await pollUntil('TooManyMissedTimes', async () => ((await eventReasons('missed')).includes('TooManyMissedTimes') ? true : undefined));
    await api.request('PATCH', `${CRONJOBS_PATH}/missed`, { body: { spec: { suspend: true } }, contentType: 'application/merge-patch+json' });
  });

  test('startingDeadlineSeconds skips a run that is too late; suspend stops runs', async () => {
    const created = await create('deadline', { startingDeadlineSeconds: 10, suspend: true });
    await advanceTo(created, 1, 30);
    await api.request('PATCH', `${CRONJOBS_PATH}/deadline`, { body: { spec: { suspend: false } }, contentType: 'application/merge-patch+json' });
    await pollUntil('synced after resume', async () => ((await api.request('GET', `${CRONJOBS_PATH}/deadline`)).body.metadata.generation === 2 ? true : undefined));
    await advanceTo(created, 1, 40);
    assert.equal((await jobsOf('deadline')).length, 0, 'the run of minute 1 was too late');
    await advanceTo(created, 2, 5);
    const [job] = await jobCount('deadline', 1);
    assert.equal(job.metadata.name, `deadline-${Math.floor(Date.parse(created.metadata.creationTimestamp) / MINUTE) + 2}`);
  });
});
