/**
 * e2e: Jobs, CronJobs and TTL-after-finished as a user meets them with the real kubectl
 * against a real k8ts server (scheduler, controllers, kubelet on containerd): Jobs
 * complete or fail as upstream says, Indexed pods see their index, a CronJob starts
 * Jobs on schedule and keeps its history limits, `kubectl create job --from=cronjob/…`
 * works, and a finished Job with ttlSecondsAfterFinished 0 goes away.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bindKubectl } from '../support/boundKubectl.js';
import type { TestCluster } from '../support/cluster.js';
import { startCluster } from '../support/cluster.js';
import { pollUntil } from '../support/poll.js';

const podSpec = (script: string) => `
      restartPolicy: Never
      terminationGracePeriodSeconds: 0
      containers:
      - name: main
        image: busybox
        imagePullPolicy: IfNotPresent
        command: [sh, -c, '${script}']`;

const job = (name: string, spec: string, script: string) => `
apiVersion: batch/v1
kind: Job
metadata:
  name: ${name}
spec:
${spec}
  template:
    spec:${podSpec(script)}`;

const cronJob = (name: string, spec: string, script: string) => `
apiVersion: batch/v1
kind: CronJob
metadata:
  name: ${name}
spec:
${spec}
  jobTemplate:
    spec:
      template:
        spec:${podSpec(script).replace(/\n {6}/g, '\n          ')}`;

describe('kubectl: jobs and cronjobs', () => {
  let cluster: TestCluster;
  const k = bindKubectl(() => cluster, 'kubectl');
  const jsonpath = (args: string[], path: string) => k.ok([...args, '-o', `jsonpath=${path}`]);

  before(async () => {
    cluster = await startCluster();
    await pollUntil('the node', async () => (await k.ok(['get', 'nodes', '-o', 'name'])) || undefined);
    // Runs in real time while the other tests do: its first Job is checked last.
    await k.ok(['apply', '-f', '-'], { input: cronJob('minutely', '  schedule: "*/1 * * * *"\n  successfulJobsHistoryLimit: 1', 'echo tick') });
  });
  after(async () => {
    await cluster?.stop();
  });

  test('a Job with completions 5 and parallelism 2 completes', async () => {
    await k.ok(['apply', '-f', '-'], { input: job('five', '  completions: 5\n  parallelism: 2', 'sleep 1') });
    await k.ok(['wait', '--for=condition=complete', 'job/five', '--timeout=120s'], { timeoutMs: 130_000 });
    assert.equal(await jsonpath(['get', 'job', 'five'], '{.status.succeeded}'), '5');
    assert.equal(await jsonpath(['get', 'pods', '-l', 'job-name=five'], '{range .items[*]}{.status.phase}{"\\n"}{end}'), 'Succeeded\n'.repeat(5));
    const described = await k.ok(['describe', 'job', 'five']);
    assert.match(described, /Pods Statuses: +0 Active \(0 Ready\) \/ 5 Succeeded \/ 0 Failed/);
    assert.match(described, /Normal +Completed +\S+ +job-controller +Job completed/);
  });

  test('an always failing Job stops at backoffLimit with BackoffLimitExceeded', async () => {
    await k.ok(['apply', '-f', '-'], { input: job('doomed', '  backoffLimit: 1', 'exit 1') });
    await k.ok(['wait', '--for=condition=failed', 'job/doomed', '--timeout=120s'], { timeoutMs: 130_000 });
    assert.equal(await jsonpath(['get', 'job', 'doomed'], '{.status.conditions[?(@.type=="Failed")].reason}'), 'BackoffLimitExceeded');
    assert.equal(await jsonpath(['get', 'job', 'doomed'], '{.status.failed}'), '2');
    assert.match(await k.ok(['describe', 'job', 'doomed']), /Warning +BackoffLimitExceeded +\S+ +job-controller +Job has reached the specified backoff limit/);
  });

  test('the pods of an Indexed Job see their index', async () => {
    await k.ok(['apply', '-f', '-'], { input: job('indexed', '  completions: 3\n  parallelism: 3\n  completionMode: Indexed', 'echo index=$JOB_COMPLETION_INDEX host=$(hostname)') });
    await k.ok(['wait', '--for=condition=complete', 'job/indexed', '--timeout=120s'], { timeoutMs: 130_000 });
    assert.equal(await jsonpath(['get', 'job', 'indexed'], '{.status.completedIndexes}'), '0-2');
    const logs: string[] = [];
    for (const index of ['0', '1', '2']) {
      const pod = await jsonpath(['get', 'pods', '-l', `batch.kubernetes.io/job-completion-index=${index},job-name=indexed`], '{.items[0].metadata.name}');
      logs.push((await k.ok(['logs', pod])).trim());
    }
    assert.deepEqual(logs, ['index=0 host=indexed-0', 'index=1 host=indexed-1', 'index=2 host=indexed-2']);
  });

  test('kubectl create job --from=cronjob makes owned Jobs, and the history limit trims them', async () => {
    await k.ok(['apply', '-f', '-'], { input: cronJob('manual', '  schedule: "0 0 1 1 *"\n  suspend: true\n  successfulJobsHistoryLimit: 1', 'echo manual') });
    assert.equal((await k.ok(['create', 'job', 'manual-a', '--from=cronjob/manual'])).trim(), 'job.batch/manual-a created');
    await k.ok(['wait', '--for=condition=complete', 'job/manual-a', '--timeout=120s'], { timeoutMs: 130_000 });
    assert.equal(await jsonpath(['get', 'job', 'manual-a'], '{.metadata.annotations.cronjob\\.kubernetes\\.io/instantiate}'), 'manual');
    assert.equal(await jsonpath(['get', 'job', 'manual-a'], '{.metadata.ownerReferences[0].name}'), 'manual');
    await k.ok(['create', 'job', 'manual-b', '--from=cronjob/manual']);
    await k.ok(['wait', '--for=condition=complete', 'job/manual-b', '--timeout=120s'], { timeoutMs: 130_000 });
    await k.ok(['wait', '--for=delete', 'job/manual-a', '--timeout=60s'], { timeoutMs: 70_000 });
    assert.equal(await jsonpath(['get', 'jobs', 'manual-b'], '{.metadata.name}'), 'manual-b');
  });

  test('a finished Job with ttlSecondsAfterFinished 0 is deleted', async () => {
    await k.ok(['apply', '-f', '-'], { input: job('ephemeral', '  ttlSecondsAfterFinished: 0', 'true') });
    await k.ok(['wait', '--for=delete', 'job/ephemeral', '--timeout=120s'], { timeoutMs: 130_000 });
    await pollUntil('its pods gone too', async () => ((await k.ok(['get', 'pods', '-l', 'job-name=ephemeral', '-o', 'name'])) === '' ? true : undefined));
  });

  test('a CronJob every minute starts a Job within about a minute', async () => {
    const names = await pollUntil(
      'a Job of minutely',
      async () => (await k.ok(['get', 'jobs', '-o', 'jsonpath={.items[?(@.metadata.ownerReferences[0].name=="minutely")].metadata.name}'])) || undefined,
      80_000,
      1000,
    );
    const first = names.split(' ').sort()[0] ?? '';
    assert.match(first, /^minutely-\d+$/);
    const scheduled = await jsonpath(['get', 'job', first], '{.metadata.annotations.batch\\.kubernetes\\.io/cronjob-scheduled-timestamp}');
    assert.equal(Date.parse(scheduled) / 60_000, Number(first.split('-')[1]));
    await k.ok(['wait', '--for=condition=complete', `job/${first}`, '--timeout=60s'], { timeoutMs: 70_000 });
    await pollUntil('lastSuccessfulTime', async () => (await jsonpath(['get', 'cronjob', 'minutely'], '{.status.lastSuccessfulTime}')) || undefined);
  });
});
