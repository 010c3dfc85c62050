/**
 * e2e: probes and lifecycle hooks on the server's own node, driven with kubectl:
 * an exec readiness probe flips READY as a file comes and goes, a failing liveness
 * probe restarts the container with an Unhealthy event, a startup probe gates started
 * and a tcpSocket readiness probe, httpGet readiness against busybox httpd, a failing postStart hook kills the container (FailedPostStartHook),
 * and preStop runs before SIGTERM.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Container } from 'kubernetes-types/core/v1.js';
import { bindKubectl } from '../support/boundKubectl.js';
import type { TestCluster } from '../support/cluster.js';
import { startCluster } from '../support/cluster.js';
import { busyboxPod, manifest } from '../support/manifests.js';
import { pollUntil } from '../support/poll.js';

/** A busybox pod on `node` (10s grace) whose container `main` runs `script` with `extra` container fields. */
function podManifest(name: string, node: string, script: string, extra: Partial<Container>): string {
  return manifest(busyboxPod(name, node, { script, container: extra, spec: { terminationGracePeriodSeconds: 10 } }));
}

const FAST = { periodSeconds: 1, timeoutSeconds: 1, failureThreshold: 1 };

interface PodJson {
  status: { containerStatuses?: { ready: boolean; started?: boolean; restartCount: number }[] };
}

describe('kubectl: probes and lifecycle hooks', () => {
  let cluster: TestCluster;
  let node = '';
  const k = bindKubectl(() => cluster, 'kubectl');
  const status = async (name: string): Promise<PodJson['status']> => (JSON.parse(await k.ok(['get', 'pod', name, '-o', 'json'])) as PodJson).status;
  /** Waits until `kubectl get pod` shows the pod Running with READY `want`. */
  const readyColumn = (name: string, want: string): Promise<string> =>
    pollUntil(`pod ${name} Running with READY ${want}`, async () => {
      const [, ready, phase] = (await k.ok(['get', 'pod', name, '--no-headers'])).split(/\s+/);
      return ready === want && phase === 'Running' ? want : undefined;
    }, 60_000);
  const describeWhen = (name: string, pattern: RegExp): Promise<string> =>
    pollUntil(`describe pod ${name} shows ${String(pattern)}`, async () => {
      const out = await k.ok(['describe', 'pod', name]);
      return pattern.test(out) ? out : undefined;
    }, 60_000);

  before(async () => {
    cluster = await startCluster();
    node = await pollUntil('the node', async () => (await k.ok(['get', 'nodes', '-o', 'jsonpath={.items[0].metadata.name}'])) || undefined);
  });
  after(() => cluster.stop());

  test('an exec readiness probe flips READY as its file comes and goes', async () => {
    await k.ok(['apply', '-f', '-'], { input: podManifest('toggle', node, 'sleep 3600', { readinessProbe: { exec: { command: ['cat', '/tmp/ready'] }, ...FAST } }) });
    await readyColumn('toggle', '0/1');
    await k.ok(['exec', 'toggle', '--', 'touch', '/tmp/ready']);
    await readyColumn('toggle', '1/1');
    assert.equal((await status('toggle')).containerStatuses?.[0]?.ready, true);
    await k.ok(['exec', 'toggle', '--', 'rm', '/tmp/ready']);
    await readyColumn('toggle', '0/1');
    const described = await describeWhen('toggle', /Readiness probe failed: cat: can't open '\/tmp\/ready'/);
    assert.match(described, /Warning\s+Unhealthy/);
    assert.equal((await status('toggle')).containerStatuses?.[0]?.restartCount, 0);
  });

  test('a failing liveness probe restarts the container with Unhealthy and Killing events', async () => {
    await k.ok(['apply', '-f', '-'], { input: podManifest('unwell', node, 'sleep 3600', { livenessProbe: { exec: { command: ['test', '-e', '/tmp/alive'] }, ...FAST } }) });
    await pollUntil('unwell restarted', async () => ((await status('unwell')).containerStatuses?.[0]?.restartCount ?? 0) >= 1 || undefined, 90_000);
    const described = await describeWhen('unwell', /Container main failed liveness probe, will be restarted/);
    assert.match(described, /Warning\s+Unhealthy\s+.*Liveness probe failed/);
    assert.match(described, /Normal\s+Killing\s+.*Container main failed liveness probe, will be restarted/);
  });

  test('a startup probe holds started and ready until it passes; tcpSocket readiness follows', async () => {
    const script = 'while [ ! -e /tmp/started ]; do sleep 0.2; done; exec httpd -f -p 9000';
    await k.ok(['apply', '-f', '-'], {
      input: podManifest('slowstart', node, script, {
        startupProbe: { exec: { command: ['test', '-e', '/tmp/started'] }, periodSeconds: 1, failureThreshold: 600 },
        readinessProbe: { tcpSocket: { port: 9000 }, ...FAST },
      }),
    });
    await readyColumn('slowstart', '0/1');
    assert.equal((await status('slowstart')).containerStatuses?.[0]?.started, false);
    await k.ok(['exec', 'slowstart', '--', 'touch', '/tmp/started']);
    await readyColumn('slowstart', '1/1');
    assert.equal((await status('slowstart')).containerStatuses?.[0]?.started, true);
  });

  test('httpGet readiness against busybox httpd: a served path is ready, a missing one is not', async () => {
    const httpd = 'mkdir -p /www && echo ok > /www/index.html && exec httpd -f -p 8080 -h /www';
    const ports = [{ name: 'http', containerPort: 8080 }];
    await k.ok(['apply', '-f', '-'], { input: podManifest('web', node, httpd, { ports, readinessProbe: { httpGet: { path: '/index.html', port: 'http' }, ...FAST } }) });
    await k.ok(['apply', '-f', '-'], { input: podManifest('web404', node, httpd, { ports, readinessProbe: { httpGet: { path: '/missing', port: 8080 }, ...FAST } }) });
    await readyColumn('web', '1/1');
    await describeWhen('web404', /Readiness probe failed: HTTP probe failed with statuscode: 404/);
    assert.match(await k.ok(['get', 'pod', 'web404', '--no-headers']), /^web404\s+0\/1\s+Running/);
  });

  test('a failing postStart hook kills the container with a FailedPostStartHook event', async () => {
    await k.ok(['apply', '-f', '-'], { input: podManifest('hooked', node, 'sleep 3600', { lifecycle: { postStart: { exec: { command: ['sh', '-c', 'exit 7'] } } } }) });
    const described = await describeWhen('hooked', /FailedPostStartHook/);
    assert.match(described, /Warning\s+FailedPostStartHook\s+.*Exec lifecycle hook \(\[sh -c exit 7\]\) for Container "main" in Pod "hooked_default/);
    await pollUntil('hooked restarted', async () => ((await status('hooked')).containerStatuses?.[0]?.restartCount ?? 0) >= 1 || undefined, 90_000);
  });

  test('preStop runs before SIGTERM when the pod is deleted', async () => {
    const script = "trap 'echo term; sleep 3; exit 0' TERM; echo up; while true; do sleep 0.2; done";
    const preStop = { exec: { command: ['sh', '-c', 'echo prestop > /proc/1/fd/1'] } };
    await k.ok(['apply', '-f', '-'], { input: podManifest('stopper', node, script, { lifecycle: { preStop } }) });
    await pollUntil('stopper logs up', async () => (await k.ok(['logs', 'stopper'])).includes('up') || undefined, 60_000);
    await k.ok(['delete', 'pod', 'stopper', '--wait=false']);
    const logs = await pollUntil('stopper logs term', async () => {
      const out = await k.run(['logs', 'stopper']);
      return out.stdout.includes('term') ? out.stdout : undefined;
    }, 30_000);
    assert.equal(logs, 'up\nprestop\nterm\n');
  });
});
