/**
 * e2e: the order and the back-offs of a pod's life as upstream's kubelet runs it — init
 * containers one by one before the app containers, a failing init container per
 * restartPolicy (Init:Error, Init:CrashLoopBackOff), a sidecar (restartPolicy Always
 * init container) running alongside the app, envFrom keys passed on as they are,
 * ImagePullBackOff and CrashLoopBackOff with their events and growing back-off, and the
 * MissingClusterDNS fallback of a server started without --cluster-dns — seen with the
 * real kubectl against a real `k8ts server`.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Container, Pod, PodSpec } from 'kubernetes-types/core/v1.js';
import { bindKubectl } from '../support/boundKubectl.js';
import type { TestCluster } from '../support/cluster.js';
import { startCluster } from '../support/cluster.js';
import { busyboxContainer, busyboxPod, listManifest, manifest } from '../support/manifests.js';
import { pollUntil } from '../support/poll.js';

interface ContainerJson {
  name: string;
  restartCount: number;
  started?: boolean;
  state: { running?: { startedAt: string }; waiting?: { reason?: string; message?: string }; terminated?: { reason?: string; exitCode: number; startedAt: string; finishedAt: string } };
}
interface PodJson {
  metadata: { uid: string };
  status: { phase?: string; initContainerStatuses?: ContainerJson[]; containerStatuses?: ContainerJson[] };
}

/** The shared emptyDir `work` mounted at /work. */
const WORK_MOUNTS = [{ name: 'work', mountPath: '/work' }];

/** A busybox container running `script` in sh, with the shared emptyDir at /work and `extra` container fields. */
function container(name: string, script: string, extra: Omit<Partial<Container>, 'command'> = {}): Container {
  return busyboxContainer(name, { script, volumeMounts: WORK_MOUNTS, ...extra });
}

/** A pod on `node` (no grace period) with `containers` and `initContainers`, a shared emptyDir `work`, and `extra` merged into its spec. */
function pod(name: string, node: string, containers: Container[], initContainers: Container[] = [], extra: Partial<PodSpec> = {}): Pod {
  return busyboxPod(name, node, { containers, spec: { terminationGracePeriodSeconds: 0, volumes: [{ name: 'work', emptyDir: {} }], initContainers, ...extra } });
}

/** Appends `<name> <uptime>` to /work/order (uptime in 1/100 s, monotonic across the pod's containers). */
const stamp = (name: string): string => `echo "${name} $(cut -d' ' -f1 /proc/uptime)" >> /work/order`;

const MISSING_IMAGE = '127.0.0.1:1/k8ts-e2e/missing:1';

describe('pods: lifecycle order and back-off', () => {
  let cluster: TestCluster;
  let node = '';
  const k = bindKubectl(() => cluster, 'kubectl');
  const getPod = async (name: string): Promise<PodJson> => JSON.parse(await k.ok(['get', 'pod', name, '-o', 'json'])) as PodJson;
  const podWhen = (name: string, what: string, ok: (p: PodJson) => boolean, timeoutMs = 90_000): Promise<PodJson> =>
    pollUntil(`pod ${name} ${what}`, async () => {
      const p = await getPod(name);
      return ok(p) ? p : undefined;
    }, timeoutMs, 250);
  const statusColumn = async (name: string): Promise<string> => (await k.ok(['get', 'pod', name, '--no-headers'])).trim().split(/\s+/)[2] ?? '';
  const events = (name: string, reason: string): Promise<string> =>
    k.ok(['get', 'events', '--field-selector', `involvedObject.name=${name},reason=${reason}`, '-o', 'jsonpath={range .items[*]}{.type} {.count} {.message}{"\\n"}{end}']);
  const execOut = async (name: string, script: string, containerName = 'app'): Promise<string> => (await k.ok(['exec', name, '-c', containerName, '--', 'sh', '-c', script])).trim();

  before(async () => {
    cluster = await startCluster();
    node = await pollUntil('the node', async () => (await k.ok(['get', 'nodes', '-o', 'jsonpath={.items[0].metadata.name}'])) || undefined);
    await k.ok(['create', 'configmap', 'odd-keys', '--from-literal=GOOD=1', '--from-literal=1BAD=2', '--from-literal=dotted.key=3']);
    const pods = [
      pod('ordered', node, [container('app', `${stamp('app')}; sleep 3600`)], [
        container('init-1', `${stamp('init-1-start')}; sleep 1; ${stamp('init-1-end')}`),
        container('init-2', `test -f /work/order && ${stamp('init-2-start')}; sleep 1; ${stamp('init-2-end')}`),
      ]),
      pod('init-fails-never', node, [container('app', 'sleep 3600')], [container('init', 'exit 3')], { restartPolicy: 'Never' }),
      pod('init-fails-always', node, [container('app', 'sleep 3600')], [container('init', 'exit 3')]),
      pod('with-sidecar', node, [container('app', `test -f /work/sidecar-up && ${stamp('app')}; sleep 3600`)], [
        container('sidecar', 'touch /work/sidecar-up; sleep 3600', { restartPolicy: 'Always' }),
      ]),
      pod('env-keys', node, [busyboxContainer('app', { command: ['sleep', '3600'], volumeMounts: WORK_MOUNTS, envFrom: [{ configMapRef: { name: 'odd-keys' } }, { prefix: 'P_', configMapRef: { name: 'odd-keys' } }] })]),
      pod('no-image', node, [{ name: 'app', image: MISSING_IMAGE }]),
      pod('no-cluster-dns', node, [container('app', 'sleep 3600')]),
    ];
    await k.ok(['apply', '-f', '-'], { input: listManifest(pods) });
  });
  after(() => cluster.stop());

  test('init containers run one at a time, in order, and finish before the app container starts', async () => {
    const p = await podWhen('ordered', 'running', (x) => x.status.containerStatuses?.[0]?.state.running !== undefined);
    const lines = (await execOut('ordered', 'cat /work/order')).split('\n').map((l) => l.split(' '));
    assert.deepEqual(lines.map(([name]) => name), ['init-1-start', 'init-1-end', 'init-2-start', 'init-2-end', 'app']);
    const times = lines.map(([, t]) => Number(t));
    assert.deepEqual([...times].sort((a, b) => a - b), times);
    const [first, second] = p.status.initContainerStatuses ?? [];
    assert.equal(first?.state.terminated?.reason, 'Completed');
    assert.equal(second?.state.terminated?.reason, 'Completed');
    assert.ok(Date.parse(first?.state.terminated?.finishedAt ?? '') <= Date.parse(second?.state.terminated?.startedAt ?? ''));
    assert.ok(Date.parse(second?.state.terminated?.finishedAt ?? '') <= Date.parse(p.status.containerStatuses?.[0]?.state.running?.startedAt ?? ''));
  });

  test('a failing init container under restartPolicy Never fails the pod: Init:Error, the app never starts', async () => {
    const p = await podWhen('init-fails-never', 'failed', (x) => x.status.phase === 'Failed');
    assert.equal(p.status.initContainerStatuses?.[0]?.state.terminated?.exitCode, 3);
    assert.equal(p.status.initContainerStatuses?.[0]?.restartCount, 0);
    assert.equal(p.status.containerStatuses?.[0]?.state.waiting?.reason, 'PodInitializing');
    assert.equal(await statusColumn('init-fails-never'), 'Init:Error');
  });

  test('a failing init container under restartPolicy Always is restarted: Init:CrashLoopBackOff', async () => {
    const p = await podWhen('init-fails-always', 'in Init:CrashLoopBackOff', (x) => x.status.initContainerStatuses?.[0]?.state.waiting?.reason === 'CrashLoopBackOff');
    assert.ok((p.status.initContainerStatuses?.[0]?.restartCount ?? 0) >= 1);
    assert.equal(p.status.phase, 'Pending');
    assert.equal(p.status.containerStatuses?.[0]?.state.waiting?.reason, 'PodInitializing');
    assert.match(await k.ok(['get', 'pod', 'init-fails-always', '--no-headers']), /^init-fails-always\s+0\/1\s+Init:CrashLoopBackOff\s+[1-9]/);
  });

  test('a sidecar init container starts before the app container and keeps running beside it', async () => {
    const p = await podWhen('with-sidecar', 'running', (x) => x.status.containerStatuses?.[0]?.state.running !== undefined);
    const sidecar = p.status.initContainerStatuses?.[0];
    assert.ok(sidecar?.state.running !== undefined, JSON.stringify(sidecar));
    assert.equal(sidecar?.started, true);
    assert.match(await execOut('with-sidecar', 'cat /work/order'), /^app /);
    await pollUntil('2/2 ready', async () => (/^with-sidecar\s+2\/2\s+Running\s+0\s/.test(await k.ok(['get', 'pod', 'with-sidecar', '--no-headers'])) ? true : undefined), 30_000);
  });

  test('envFrom passes every ConfigMap key on, also ones that are not C identifiers, without an event', async () => {
    await podWhen('env-keys', 'running', (x) => x.status.phase === 'Running');
    // Read from the container's first process: a shell would drop names it cannot use as variables.
    const env = (await execOut('env-keys', "tr '\\0' '\\n' < /proc/1/environ")).split('\n');
    for (const entry of ['GOOD=1', '1BAD=2', 'dotted.key=3', 'P_GOOD=1', 'P_1BAD=2', 'P_dotted.key=3']) assert.ok(env.includes(entry), `${entry} in ${env.join(' ')}`);
    assert.equal(await events('env-keys', 'InvalidEnvironmentVariableNames'), '');
  });

  test('an unpullable image: ErrImagePull, then ImagePullBackOff with upstream\'s events, retried after the back-off', async () => {
    const waiting = (x: PodJson): { reason?: string; message?: string } | undefined => x.status.containerStatuses?.[0]?.state.waiting;
    await podWhen('no-image', 'ErrImagePull', (x) => waiting(x)?.reason === 'ErrImagePull');
    const backOff = await podWhen('no-image', 'ImagePullBackOff', (x) => waiting(x)?.reason === 'ImagePullBackOff');
    assert.equal(waiting(backOff)?.message, `Back-off pulling image "${MISSING_IMAGE}"`);
    assert.equal(await statusColumn('no-image'), 'ImagePullBackOff');
    assert.match(await events('no-image', 'BackOff'), new RegExp(`^Normal \\d+ Back-off pulling image "${MISSING_IMAGE}"$`, 'm'));
    const failed = await events('no-image', 'Failed');
    assert.match(failed, new RegExp(`^Warning \\d+ Failed to pull image "${MISSING_IMAGE}": `, 'm'));
    assert.match(failed, /^Warning \d+ Error: ErrImagePull$/m);
    assert.match(failed, /^Warning \d+ Error: ImagePullBackOff$/m);
    await pollUntil('a second pull after the back-off', async () => (/^Normal ([2-9]|\d\d+) Pulling image /m.test(await events('no-image', 'Pulling')) ? true : undefined), 60_000, 500);
  });

  test('CrashLoopBackOff: the back-off grows from 10s to 20s, with BackOff events', async () => {
    await k.ok(['apply', '-f', '-'], { input: manifest(pod('crashy', node, [container('app', 'exit 1')])) });
    const message = (x: PodJson): string => x.status.containerStatuses?.[0]?.state.waiting?.message ?? '';
    const first = await podWhen('crashy', 'backing off 10s', (x) => message(x).startsWith('back-off 10s'));
    const uid = first.metadata.uid;
    assert.equal(message(first), `back-off 10s restarting failed container=app pod=crashy_default(${uid})`);
    const second = await podWhen('crashy', 'backing off 20s', (x) => message(x).startsWith('back-off 20s'), 90_000);
    assert.equal(message(second), `back-off 20s restarting failed container=app pod=crashy_default(${uid})`);
    assert.ok((second.status.containerStatuses?.[0]?.restartCount ?? 0) >= 2);
    assert.equal(await statusColumn('crashy'), 'CrashLoopBackOff');
    assert.match(await events('crashy', 'BackOff'), new RegExp(`^Warning \\d+ Back-off restarting failed container app in pod crashy_default\\(${uid}\\)$`, 'm'));
  });

  test('without --cluster-dns a ClusterFirst pod gets the host\'s resolver and a MissingClusterDNS event', async () => {
    const p = await podWhen('no-cluster-dns', 'running', (x) => x.status.phase === 'Running');
    const hostServers = readFileSync('/etc/resolv.conf', 'utf8').split('\n').filter((l) => /^nameserver\s/.test(l)).map((l) => l.trim().split(/\s+/)[1]);
    const servers = (await execOut('no-cluster-dns', 'cat /etc/resolv.conf')).split('\n').filter((l) => l.startsWith('nameserver')).map((l) => l.split(/\s+/)[1]);
    assert.deepEqual(servers, hostServers);
    assert.match(await events('no-cluster-dns', 'MissingClusterDNS'),
      new RegExp(`^Warning \\d+ pod: "no-cluster-dns_default\\(${p.metadata.uid}\\)"\\. kubelet does not have ClusterDNS IP configured and cannot create Pod using "ClusterFirst" policy\\. Falling back to "Default" policy\\.$`, 'm'));
  });
});
