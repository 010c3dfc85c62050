import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { podPrinter, podSummary } from './podPrinter.js';

const now = new Date('2026-03-01T12:00:00Z');
const ago = (ms: number): string => new Date(now.getTime() - ms).toISOString();
const MIN = 60_000;

function pod(overrides: { spec?: Pod['spec']; status?: Pod['status']; metadata?: Pod['metadata'] }): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-0', namespace: 'default', creationTimestamp: ago(10 * MIN), ...overrides.metadata },
    spec: overrides.spec ?? { containers: [{ name: 'app', image: 'busybox' }] },
    status: overrides.status ?? {},
  };
}

const cells = (p: Pod) => podPrinter.cells(p as KubeObject, now);
const column = (name: string) => podPrinter.columns.findIndex((c) => c.name === name);

describe('pod printer', () => {
  test('a running pod', () => {
    const p = pod({
      spec: { containers: [{ name: 'app', image: 'busybox' }], nodeName: 'node-1' },
      status: {
        phase: 'Running',
        podIPs: [{ ip: '198.18.0.5' }],
        conditions: [{ type: 'Ready', status: 'True' }],
        containerStatuses: [
          { name: 'app', image: 'busybox', imageID: '', ready: true, restartCount: 0, state: { running: {} } },
        ],
      },
    });
    const row = cells(p);
    assert.equal(row.length, podPrinter.columns.length);
    assert.deepEqual(row.slice(0, 5), ['web-0', '1/1', 'Running', '0', '10m']);
    assert.equal(row[column('IP')], '198.18.0.5');
    assert.equal(row[column('Node')], 'node-1');
    assert.equal(row[column('Nominated Node')], '<none>');
    assert.equal(row[column('Readiness Gates')], '<none>');
    assert.equal(podPrinter.conditions?.(p as KubeObject), undefined);
    const legacy = pod({ status: { phase: 'Running', podIP: '198.18.0.6' } });
    assert.equal(cells(legacy)[column('IP')], '198.18.0.6');
  });

  test('a crash-looping pod shows the waiting reason and when it last restarted', () => {
    const p = pod({
      status: {
        phase: 'Running',
        containerStatuses: [
          {
            name: 'app',
            image: 'busybox',
            imageID: '',
            ready: false,
            restartCount: 4,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(5 * MIN) } },
          },
        ],
      },
    });
    const summary = podSummary(p, now);
    assert.equal(summary.ready, '0/1');
    assert.equal(summary.reason, 'CrashLoopBackOff');
    assert.equal(summary.restarts, '4 (5m ago)');
  });

  test('a pod whose image is not yet running shows ContainerCreating', () => {
    const p = pod({
      status: {
        phase: 'Pending',
        containerStatuses: [
          { name: 'app', image: 'busybox', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } },
        ],
      },
    });
    assert.equal(podSummary(p, now).reason, 'ContainerCreating');
  });

  test('init containers: progress, failures and PodInitializing', () => {
    const spec = {
      initContainers: [
        { name: 'init-a', image: 'busybox' },
        { name: 'init-b', image: 'busybox' },
      ],
      containers: [{ name: 'app', image: 'busybox' }],
    };
    const done = { name: 'init-a', image: 'busybox', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } };
    const running = { name: 'init-b', image: 'busybox', imageID: '', ready: false, restartCount: 0, state: { running: {} } };
    const failed = { ...running, restartCount: 2, state: { waiting: { reason: 'CrashLoopBackOff' } } };
    const waitingInit = { ...running, state: { waiting: { reason: 'PodInitializing' } } };
    const exited = { ...running, state: { terminated: { exitCode: 3 } } };
    const appWaiting = { name: 'app', image: 'busybox', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } };

    const status = (init: object[]) => ({ phase: 'Pending', initContainerStatuses: init, containerStatuses: [appWaiting] }) as Pod['status'];
    assert.equal(podSummary(pod({ spec, status: status([done, running]) }), now).reason, 'Init:1/2');
    assert.equal(podSummary(pod({ spec, status: status([done, failed]) }), now).reason, 'Init:CrashLoopBackOff');
    assert.equal(podSummary(pod({ spec, status: status([done, failed]) }), now).restarts, '2');
    assert.equal(podSummary(pod({ spec, status: status([done, waitingInit]) }), now).reason, 'Init:1/2');
    assert.equal(podSummary(pod({ spec, status: status([exited]) }), now).reason, 'Init:ExitCode:3');
    assert.equal(podSummary(pod({ spec, status: status([done, { ...done, name: 'init-b' }]) }), now).reason, 'PodInitializing');
  });

  test('restartable init containers (sidecars) count as containers', () => {
    const p = pod({
      spec: {
        initContainers: [{ name: 'proxy', image: 'busybox', restartPolicy: 'Always' }],
        containers: [{ name: 'app', image: 'busybox' }],
      },
      status: {
        phase: 'Running',
        conditions: [{ type: 'Initialized', status: 'True' }, { type: 'Ready', status: 'True' }],
        initContainerStatuses: [
          { name: 'proxy', image: 'busybox', imageID: '', ready: true, started: true, restartCount: 1, state: { running: {} } },
        ],
        containerStatuses: [{ name: 'app', image: 'busybox', imageID: '', ready: true, restartCount: 0, state: { running: {} } }],
      },
    });
    const summary = podSummary(p, now);
    assert.equal(summary.ready, '2/2');
    assert.equal(summary.reason, 'Running');
    assert.equal(summary.restarts, '1');
  });

  test('finished pods: Completed, ExitCode, and the Completed row condition', () => {
    const terminated = (exitCode: number, reason?: string) => ({
      phase: exitCode === 0 ? 'Succeeded' : 'Failed',
      containerStatuses: [
        { name: 'app', image: 'busybox', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode, reason } } },
      ],
    });
    const ok = pod({ status: terminated(0, 'Completed') });
    assert.equal(podSummary(ok, now).reason, 'Completed');
    assert.deepEqual(podPrinter.conditions?.(ok as KubeObject)?.map((c) => [c.type, c.reason]), [['Completed', 'Succeeded']]);
    assert.equal(podSummary(pod({ status: terminated(2) }), now).reason, 'ExitCode:2');
  });

  test('deletion: Terminating, or Unknown on a lost node; finished pods keep their status', () => {
    const metadata = { name: 'web-0', deletionTimestamp: ago(MIN) };
    assert.equal(podSummary(pod({ metadata, status: { phase: 'Running' } }), now).reason, 'Terminating');
    assert.equal(podSummary(pod({ metadata, status: { phase: 'Running', reason: 'NodeLost' } }), now).reason, 'Unknown');
    assert.equal(podSummary(pod({ metadata, status: { phase: 'Succeeded' } }), now).reason, 'Succeeded');
  });

  test('scheduling gates and readiness gates', () => {
    const gated = pod({ status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] } });
    assert.equal(podSummary(gated, now).reason, 'SchedulingGated');
    const gates = pod({
      spec: { containers: [{ name: 'app' }], readinessGates: [{ conditionType: 'a' }, { conditionType: 'b' }] },
      status: { conditions: [{ type: 'a', status: 'True' }, { type: 'b', status: 'False' }] },
    });
    assert.equal(cells(gates)[column('Readiness Gates')], '1/2');
  });
});
