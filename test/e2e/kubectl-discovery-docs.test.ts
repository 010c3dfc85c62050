/**
 * e2e: what kubectl learns from the server's discovery and OpenAPI documents, and the
 * client-side commands built on them (newest kubectl on PATH and 1.27, against a real
 * `k8ts server` on SQLite): explain, api-resources, get all, diff, and the three-way
 * merge of client-side apply.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { BoundKubectl } from '../support/boundKubectl.js';
import { bindKubectl } from '../support/boundKubectl.js';
import type { TestCluster } from '../support/cluster.js';
import { kubectlBinaries, startCluster } from '../support/cluster.js';

interface DeploymentOptions {
  namespace: string;
  replicas?: number;
  image?: string;
  env?: Record<string, string>;
  labels?: Record<string, string>;
}

/** A Deployment manifest named `web` with one container `web`. */
const DEPLOYMENT = ({ namespace, replicas = 2, image = 'nginx:1.25', env = {}, labels = {} }: DeploymentOptions): string => {
  const envLines = Object.entries(env).map(([name, value]) => `        - name: ${name}\n          value: "${value}"\n`);
  const labelLines = Object.entries(labels).map(([key, value]) => `    ${key}: "${value}"\n`);
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ${namespace}
${labelLines.length > 0 ? `  labels:\n${labelLines.join('')}` : ''}spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: ${image}
${envLines.length > 0 ? `        env:\n${envLines.join('')}` : ''}`;
};

const NAMESPACE = (name: string): string => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n`;

/** A namespace holding a Deployment, a Service, a CronJob and a ConfigMap. */
const WORKLOADS = (namespace: string): string => [
  NAMESPACE(namespace),
  DEPLOYMENT({ namespace }),
  `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: ${namespace}
spec:
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 8080
`,
  `apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly
  namespace: ${namespace}
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: job
            image: busybox:1.36
`,
  `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: ${namespace}
data:
  mode: fast
`,
].join('---\n');

interface Container {
  name: string;
  image: string;
  env?: { name: string; value?: string }[];
}

for (const { version, path: bin } of kubectlBinaries()) {
  describe(`kubectl ${version}: discovery, docs and client-side merges`, () => {
    let cluster: TestCluster;
    let scratch: string;
    let k: BoundKubectl;

    before(async () => {
      cluster = await startCluster();
      scratch = await mkdtemp(join(tmpdir(), 'k8ts-e2e-discovery-'));
      // kubectl diff writes its LIVE/MERGED trees to TMPDIR; keep them inside this test's scratch dir.
      k = bindKubectl(() => cluster, bin, { TMPDIR: scratch });
    });
    after(async () => {
      await cluster?.stop();
      if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
    });

    const deployment = async (namespace: string): Promise<{ metadata: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec: { replicas: number; template: { spec: { containers: Container[] } } } }> =>
      JSON.parse(await k.ok(['get', 'deployment', 'web', '-n', namespace, '-o', 'json']));

    test('explain a nested field shows its description and fields', async () => {
      const out = await k.ok(['explain', 'pod.spec.containers.livenessProbe']);
      assert.match(out, /^KIND:\s+Pod\nVERSION:\s+v1$/m);
      assert.match(out, /^FIELD:\s+livenessProbe <Probe>$/m);
      assert.match(out, /^DESCRIPTION:\n\s+Periodic probe of container liveness\. Container will be restarted if the\n\s+probe fails\./m);
      assert.match(out, /^FIELDS:$/m);
      assert.match(out, /^ {2}exec\t<ExecAction>\n {4}Exec specifies the action to take\.$/m);
      assert.match(out, /^ {2}failureThreshold\t<integer>$/m);
      assert.match(out, /^ {2}httpGet\t<HTTPGetAction>$/m);
      assert.match(out, /^ {2}periodSeconds\t<integer>$/m);
    });

    test('explain --recursive prints the whole field tree', async () => {
      const out = await k.ok(['explain', 'deployment.spec', '--recursive']);
      assert.match(out, /^GROUP:\s+apps\nKIND:\s+Deployment\nVERSION:\s+v1$/m);
      assert.match(out, /^FIELD:\s+spec <DeploymentSpec>$/m);
      assert.match(out, /^ {2}selector\t<LabelSelector> -required-$/m);
      assert.match(out, /^ {2}template\t<PodTemplateSpec> -required-\n {4}metadata\t<ObjectMeta>$/m);
      assert.match(out, /^ {6}containers\t<\[\]Container> -required-$/m);
      assert.match(out, /^ {8}livenessProbe\t<Probe>$/m);
      assert.match(out, /^ {2}strategy\t<DeploymentStrategy>\n {4}rollingUpdate\t<RollingUpdateDeployment>$/m);
    });

    test('explain of an unknown field fails', async () => {
      assert.match(await k.fails(['explain', 'pod.spec.nosuchfield']), /field "nosuchfield" does not exist/);
    });

    test('api-resources shows short names, verbs and categories', async () => {
      const wide = await k.ok(['api-resources', '-o', 'wide']);
      assert.match(wide, /^NAME\s+SHORTNAMES\s+APIVERSION\s+NAMESPACED\s+KIND\s+VERBS\s+CATEGORIES$/m);
      const everyVerb = 'create,delete,deletecollection,get,list,patch,update,watch';
      assert.match(wide, new RegExp(`^pods\\s+po\\s+v1\\s+true\\s+Pod\\s+${everyVerb}\\s+all$`, 'm'));
      assert.match(wide, new RegExp(`^deployments\\s+deploy\\s+apps/v1\\s+true\\s+Deployment\\s+${everyVerb}\\s+all$`, 'm'));
      assert.match(wide, /^configmaps\s+cm\s+v1\s+true\s+ConfigMap\s+\S+\s*$/m);

      const inAll = (await k.ok(['api-resources', '--categories=all', '-o', 'name'])).trim().split('\n');
      for (const name of ['pods', 'services', 'deployments.apps', 'replicasets.apps', 'statefulsets.apps', 'daemonsets.apps', 'jobs.batch', 'cronjobs.batch']) {
        assert.ok(inAll.includes(name), `${name} not in category all: ${inAll.join(',')}`);
      }
      assert.ok(!inAll.includes('configmaps'), 'configmaps is not in category all');

      const clusterScoped = await k.ok(['api-resources', '--namespaced=false', '-o', 'name']);
      assert.match(clusterScoped, /^namespaces$/m);
      assert.match(clusterScoped, /^nodes$/m);
      assert.doesNotMatch(clusterScoped, /^pods$/m);
      const apps = (await k.ok(['api-resources', '--api-group=apps', '-o', 'name'])).trim().split('\n').sort();
      assert.deepEqual(apps, ['controllerrevisions.apps', 'daemonsets.apps', 'deployments.apps', 'replicasets.apps', 'statefulsets.apps']);
    });

    test('get all lists the workloads of a namespace, not its configmaps', async () => {
      await k.ok(['apply', '-f', '-'], { input: WORKLOADS('shop') });
      const names = (await k.ok(['get', 'all', '-n', 'shop', '-o', 'name'])).trim().split('\n').sort();
      // The Deployment's ReplicaSet and pods are workloads too; they come and go with the controllers.
      const managed = names.filter((name) => /^(pod\/web-|replicaset\.apps\/web-)/.test(name));
      assert.deepEqual(names.filter((name) => !managed.includes(name)), ['cronjob.batch/nightly', 'deployment.apps/web', 'service/web']);
      const table = await k.ok(['get', 'all', '-n', 'shop']);
      assert.match(table, /^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE\nservice\/web\s+ClusterIP\s/m);
      assert.match(table, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\ndeployment\.apps\/web\s+0\/2\s/m);
      assert.match(table, /^cronjob\.batch\/nightly\s+0 3 \* \* \*\s/m);
    });

    test('diff exits 0 without changes, 1 with a unified diff, and changes nothing', async () => {
      await k.ok(['apply', '-f', '-'], { input: WORKLOADS('diffed') });
      const same = await k.run(['diff', '-f', '-'], { input: WORKLOADS('diffed') });
      assert.equal(same.code, 0, same.stderr);
      assert.equal(same.stdout, '');

      const changed = await k.run(['diff', '-f', '-'], { input: DEPLOYMENT({ namespace: 'diffed', replicas: 5 }) });
      assert.equal(changed.code, 1, changed.stderr);
      assert.match(changed.stdout, /^--- \S+\/apps\.v1\.Deployment\.diffed\.web\t/m);
      assert.match(changed.stdout, /^\+\+\+ \S+\/apps\.v1\.Deployment\.diffed\.web\t/m);
      assert.match(changed.stdout, /^- {2}replicas: 2$/m);
      assert.match(changed.stdout, /^\+ {2}replicas: 5$/m);
      assert.equal((await deployment('diffed')).spec.replicas, 2);

      const created = await k.run(['diff', '-f', '-'], { input: NAMESPACE('not-yet') });
      assert.equal(created.code, 1, created.stderr);
      assert.match(created.stdout, /^\+ {2}name: not-yet$/m);
      assert.match(await k.fails(['get', 'namespace', 'not-yet']), /namespaces "not-yet" not found/);
    });

    test('apply merges three ways: fields of other writers stay, fields dropped from the manifest go', async () => {
      await k.ok(['apply', '-f', '-'], { input: NAMESPACE('merge') });
      await k.ok(['apply', '-f', '-'], { input: DEPLOYMENT({ namespace: 'merge', labels: { team: 'a', stage: 'dev' } }) });
      await k.ok(['label', 'deployment', 'web', '-n', 'merge', 'owner=other']);
      await k.ok(['patch', 'deployment', 'web', '-n', 'merge', '--type=merge', '-p', '{"metadata":{"annotations":{"reviewed-by":"other"}}}']);

      await k.ok(['apply', '-f', '-'], { input: DEPLOYMENT({ namespace: 'merge', replicas: 3, labels: { team: 'a' } }) });
      const live = await deployment('merge');
      assert.equal(live.spec.replicas, 3);
      assert.deepEqual(live.metadata.labels, { team: 'a', owner: 'other' });
      assert.equal(live.metadata.annotations?.['reviewed-by'], 'other');
    });

    test('apply merges containers by name and env vars by name', async () => {
      await k.ok(['apply', '-f', '-'], { input: NAMESPACE('strategic') });
      await k.ok(['apply', '-f', '-'], { input: DEPLOYMENT({ namespace: 'strategic', env: { A: '1', B: '2' } }) });
      const addedByOther = {
        spec: { template: { spec: { containers: [{ name: 'web', env: [{ name: 'EXTRA', value: 'x' }] }, { name: 'sidecar', image: 'busybox:1.36' }] } } },
      };
      await k.ok(['patch', 'deployment', 'web', '-n', 'strategic', '-p', JSON.stringify(addedByOther)]);

      await k.ok(['apply', '-f', '-'], { input: DEPLOYMENT({ namespace: 'strategic', image: 'nginx:1.26', env: { A: '1' } }) });
      const containers = (await deployment('strategic')).spec.template.spec.containers;
      assert.deepEqual(containers.map((c) => [c.name, c.image]), [['web', 'nginx:1.26'], ['sidecar', 'busybox:1.36']]);
      const env = containers[0]?.env?.map((e) => `${e.name}=${e.value}`).sort();
      assert.deepEqual(env, ['A=1', 'EXTRA=x']);
    });
  });
}
