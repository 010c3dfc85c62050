/**
 * e2e: Deployments as a user drives them with the real kubectl against a real k8ts
 * server (scheduler, controllers, kubelet on containerd). Image B is busybox imported
 * into the node's containerd under a second name (`k8ts image import --name`), so
 * `kubectl set image` is a real image change that runs offline without a registry.
 * Covers a rolling update that never drops below the wanted ready pods, rollout
 * status/history/undo (also with kubectl 1.27), scale, pause/resume/restart, a rollout
 * that exceeds its progress deadline, and foreground deletion.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { busyboxImage } from '../../src/runtime/images/baseImages.js';
import { bindKubectl } from '../support/boundKubectl.js';
import type { TestCluster } from '../support/cluster.js';
import { K8TS_BIN, kubectlBinaries, startCluster } from '../support/cluster.js';
import { pollUntil } from '../support/poll.js';
import { manifest } from '../support/manifests.js';

const run = promisify(execFile);
const IMAGE_A = 'busybox';
const IMAGE_B = 'k8ts.test/busybox:b';

interface PodJson {
  metadata: { name: string; deletionTimestamp?: string };
  spec: { containers: { image: string }[] };
  status?: { conditions?: { type: string; status: string }[] };
}

/**
 * A Deployment of `replicas` sleeping busybox pods (1 s grace) labelled `app: name`.
 * Pull policy IfNotPresent: image B exists only on the node (no registry to pull from).
 */
function deployment(name: string, replicas: number, spec: Record<string, unknown> = {}, container: Record<string, unknown> = {}, annotations: Record<string, string> = {}): string {
  return manifest({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, annotations },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: IMAGE_A, imagePullPolicy: 'IfNotPresent', command: ['sleep', '3600'], ...container }] },
      },
      ...spec,
    },
  });
}

describe('kubectl: deployments', () => {
  let cluster: TestCluster;
  const k = bindKubectl(() => cluster, 'kubectl');
  const pods = async (app: string): Promise<PodJson[]> =>
    (JSON.parse(await k.ok(['get', 'pods', '-l', `app=${app}`, '-o', 'json'])) as { items: PodJson[] }).items.filter((p) => p.metadata.deletionTimestamp === undefined);
  const isReady = (pod: PodJson): boolean => pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
  const images = async (app: string): Promise<string[]> => [...new Set((await pods(app)).map((p) => p.spec.containers[0]?.image ?? ''))];
  const replicaSetCount = async (app: string): Promise<number> => (await k.ok(['get', 'rs', '-l', `app=${app}`, '-o', 'name'])).split('\n').filter((l) => l !== '').length;
  const rolledOut = (name: string) => k.ok(['rollout', 'status', `deployment/${name}`, '--timeout=180s'], { timeoutMs: 200_000 });

  before(async () => {
    cluster = await startCluster();
    const workDir = await mkdtemp(join(tmpdir(), 'k8ts-deploy-image-'));
    try {
      const archive = await busyboxImage.build(join(workDir, 'busybox.tar'));
      await run(process.execPath, [K8TS_BIN, 'image', 'import', archive.path, '--name', IMAGE_B, '--data-dir', cluster.dataDir], { timeout: 60_000 });
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  });
  after(async () => {
    await cluster?.stop();
  });

  test('a rolling update with maxUnavailable 0 keeps 3 ready pods throughout; status and history show it', async () => {
    const strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } };
    await k.ok(['apply', '-f', '-'], { input: deployment('web', 3, { strategy }, {}, { 'kubernetes.io/change-cause': 'first: image A' }) });
    assert.match(await rolledOut('web'), /deployment "web" successfully rolled out/);
    await k.ok(['set', 'image', 'deployment/web', `c=${IMAGE_B}`]);
    await k.ok(['annotate', 'deployment/web', 'kubernetes.io/change-cause=second: image B', '--overwrite']);
    const status = k.run(['rollout', 'status', 'deployment/web', '--timeout=180s'], { timeoutMs: 200_000 });
    let finished = false;
    void status.finally(() => (finished = true));
    let samples = 0;
    while (!finished && samples < 2000) {
      const ready = (await pods('web')).filter(isReady).length;
      assert.ok(ready >= 3, `only ${ready} ready pods during the rollout`);
      samples++;
    }
    const result = await status;
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /successfully rolled out/);
    assert.ok(samples > 0);
    assert.deepEqual(await images('web'), [IMAGE_B]);

    const history = await k.ok(['rollout', 'history', 'deployment/web']);
    assert.match(history, /^1\s+first: image A$/m);
    assert.match(history, /^2\s+second: image B$/m);
    const first = await k.ok(['rollout', 'history', 'deployment/web', '--revision=1']);
    assert.match(first, /Image:\s+busybox\n/);
    const events = await k.ok(['get', 'events', '--field-selector', 'involvedObject.kind=Deployment,involvedObject.name=web', '-o', 'jsonpath={range .items[*]}{.reason}: {.message}{"\\n"}{end}']);
    assert.match(events, /ScalingReplicaSet: Scaled up replica set web-\w+ from 0 to 1/);
    assert.match(events, /ScalingReplicaSet: Scaled down replica set web-\w+ from 3 to 2/);
  });

  for (const { version, path } of kubectlBinaries()) {
    test(`kubectl ${version}: rollout undo returns to the previous template, --to-revision to a given one`, async () => {
      const kv = bindKubectl(() => cluster, path);
      assert.match(await kv.ok(['rollout', 'undo', 'deployment/web']), /rolled back/);
      await rolledOut('web');
      const undone = await images('web');
      const history = await kv.ok(['rollout', 'history', 'deployment/web']);
      const revisions = [...history.matchAll(/^(\d+)\s/gm)].map((m) => Number(m[1]));
      const latest = Math.max(...revisions);
      assert.equal(revisions.length, 2, history);
      const latestDetail = await kv.ok(['rollout', 'history', 'deployment/web', `--revision=${latest}`]);
      assert.match(latestDetail, new RegExp(`Image:\\s+${undone[0]?.replace(/[.:/]/g, '\\$&')}\\n`));
      const other = revisions.find((r) => r !== latest) ?? 0;
      await kv.ok(['rollout', 'undo', 'deployment/web', `--to-revision=${other}`]);
      await rolledOut('web');
      assert.equal((await images('web')).length, 1);
      assert.notDeepEqual(await images('web'), undone);
    });
  }

  test('kubectl scale, rollout pause/resume and rollout restart', async () => {
    await k.ok(['scale', 'deployment/web', '--replicas=4']);
    await rolledOut('web');
    assert.equal((await pods('web')).filter(isReady).length, 4);

    await k.ok(['rollout', 'pause', 'deployment/web']);
    await pollUntil('paused condition', async () =>
      (await k.ok(['get', 'deployment/web', '-o', 'jsonpath={.status.conditions[?(@.type=="Progressing")].reason}'])) === 'DeploymentPaused' ? true : undefined);
    const setsBefore = await replicaSetCount('web');
    const imageBefore = (await images('web'))[0];
    await k.ok(['set', 'image', 'deployment/web', `c=${imageBefore === IMAGE_A ? IMAGE_B : IMAGE_A}`]);
    await pollUntil('paused change observed', async () => {
      const d = JSON.parse(await k.ok(['get', 'deployment/web', '-o', 'json'])) as { metadata: { generation: number }; status: { observedGeneration: number } };
      return d.status.observedGeneration === d.metadata.generation ? true : undefined;
    });
    assert.equal(await replicaSetCount('web'), setsBefore, 'no new ReplicaSet while paused');
    assert.deepEqual(await images('web'), [imageBefore]);
    await k.ok(['rollout', 'resume', 'deployment/web']);
    await rolledOut('web');
    assert.notDeepEqual(await images('web'), [imageBefore]);

    const names = new Set((await pods('web')).map((p) => p.metadata.name));
    await k.ok(['rollout', 'restart', 'deployment/web']);
    await rolledOut('web');
    const restarted = await pollUntil('old pods gone', async () => {
      const now = await pods('web');
      return now.length === 4 && now.every((p) => !names.has(p.metadata.name)) ? now : undefined;
    });
    assert.equal(restarted.filter(isReady).length, 4);
  });

  test('a rollout whose pods never become ready exceeds its progress deadline', async () => {
    const probe = { readinessProbe: { exec: { command: ['false'] }, periodSeconds: 1 } };
    await k.ok(['apply', '-f', '-'], { input: deployment('stuck', 1, { progressDeadlineSeconds: 10 }, probe) });
    const result = await k.run(['rollout', 'status', 'deployment/stuck', '--timeout=90s'], { timeoutMs: 100_000 });
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.match(result.stderr, /error: deployment "stuck" exceeded its progress deadline/);
    const conditions = JSON.parse(await k.ok(['get', 'deployment/stuck', '-o', 'jsonpath={.status.conditions}'])) as { type: string; status: string; reason: string; message: string }[];
    const progressing = conditions.find((c) => c.type === 'Progressing');
    assert.equal(progressing?.status, 'False');
    assert.equal(progressing?.reason, 'ProgressDeadlineExceeded');
    assert.match(progressing?.message ?? '', /^ReplicaSet "stuck-\w+" has timed out progressing\.$/);
    assert.equal(conditions.find((c) => c.type === 'Available')?.reason, 'MinimumReplicasUnavailable');
  });

  test('kubectl delete --cascade=foreground removes the pods before the Deployment', async () => {
    await k.ok(['delete', 'deployment/web', '--cascade=foreground', '--timeout=120s'], { timeoutMs: 130_000 });
    const left = JSON.parse(await k.ok(['get', 'pods,rs', '-l', 'app=web', '-o', 'json'])) as { items: unknown[] };
    assert.equal(left.items.length, 0, 'pods and ReplicaSets are gone once the Deployment is');
    await k.ok(['delete', 'deployment/stuck', '--cascade=foreground', '--timeout=120s'], { timeoutMs: 130_000 });
  });
});
