/**
 * e2e: kubectl's typed `create` subcommands must succeed against a real `k8ts server`
 * and store the fields their flags set. The newest kubectl (on PATH) sends these bodies
 * as Kubernetes protobuf only, never falling back to JSON; the 1.27 build sends JSON.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestCluster } from '../support/cluster.js';
import { bindKubectl } from '../support/boundKubectl.js';
import { kubectlBinaries, startCluster } from '../support/cluster.js';

interface TypedCreate {
  /** `kubectl create …` arguments. */
  create: string[];
  /** The object to read back (`kubectl get <these> -o json`). */
  get: string[];
  /** Expected values by dotted path into the stored object (`spec.ports.0.port`). */
  expect: Record<string, unknown>;
}

const RBAC = 'rbac.authorization.k8s.io';

const CASES: readonly TypedCreate[] = [
  { create: ['namespace', 'typed'], get: ['namespace', 'typed'], expect: { 'metadata.name': 'typed' } },
  {
    create: ['configmap', 'settings', '--from-literal=mode=fast', '--from-literal=level=3'],
    get: ['configmap', 'settings'],
    expect: { data: { mode: 'fast', level: '3' } },
  },
  {
    create: ['secret', 'generic', 'creds', '--from-literal=password=s3cr3t', '--type=Opaque'],
    get: ['secret', 'creds'],
    expect: { data: { password: Buffer.from('s3cr3t').toString('base64') }, type: 'Opaque' },
  },
  {
    create: ['deployment', 'idle', '--image=busybox', '--replicas=0'],
    get: ['deployment', 'idle'],
    expect: { 'spec.replicas': 0, 'spec.template.spec.containers.0.image': 'busybox' },
  },
  {
    create: ['deployment', 'web', '--image=nginx', '--replicas=3', '--port=8080'],
    get: ['deployment', 'web'],
    expect: {
      'spec.replicas': 3,
      'spec.selector': { matchLabels: { app: 'web' } },
      'spec.template.spec.containers.0.image': 'nginx',
      'spec.template.spec.containers.0.ports': [{ containerPort: 8080, protocol: 'TCP' }],
    },
  },
  {
    create: ['job', 'once', '--image=busybox', '--', 'echo', 'hi'],
    get: ['job', 'once'],
    expect: {
      'spec.template.spec.containers.0.image': 'busybox',
      'spec.template.spec.containers.0.command': ['echo', 'hi'],
      'spec.template.spec.restartPolicy': 'Never',
    },
  },
  {
    create: ['cronjob', 'tick', '--image=busybox', '--schedule=*/5 * * * *', '--', 'date'],
    get: ['cronjob', 'tick'],
    expect: { 'spec.schedule': '*/5 * * * *', 'spec.jobTemplate.spec.template.spec.containers.0.command': ['date'] },
  },
  {
    create: ['service', 'clusterip', 'front', '--tcp=80:8080', '--tcp=443:https'],
    get: ['service', 'front'],
    expect: {
      'spec.type': 'ClusterIP',
      'spec.ports': [
        { name: '80-8080', port: 80, protocol: 'TCP', targetPort: 8080 },
        { name: '443-https', port: 443, protocol: 'TCP', targetPort: 'https' },
      ],
    },
  },
  {
    create: ['quota', 'limits', '--hard=cpu=1,memory=1Gi,pods=10'],
    get: ['resourcequota', 'limits'],
    expect: { 'spec.hard': { cpu: '1', memory: '1Gi', pods: '10' } },
  },
  {
    create: ['priorityclass', 'important', '--value=1000', '--description=keep running'],
    get: ['priorityclass', 'important'],
    expect: { value: 1000, description: 'keep running' },
  },
  {
    create: ['poddisruptionbudget', 'web-pdb', '--selector=app=web', '--max-unavailable=50%'],
    get: ['poddisruptionbudget', 'web-pdb'],
    expect: { 'spec.maxUnavailable': '50%', 'spec.selector': { matchLabels: { app: 'web' } } },
  },
  {
    create: ['role', 'reader', '--verb=get,list', '--resource=pods'],
    get: ['role', 'reader'],
    expect: { rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }] },
  },
  {
    create: ['rolebinding', 'read-it', '--role=reader', '--user=alice', '--serviceaccount=default:robot'],
    get: ['rolebinding', 'read-it'],
    expect: {
      roleRef: { apiGroup: RBAC, kind: 'Role', name: 'reader' },
      subjects: [
        { apiGroup: RBAC, kind: 'User', name: 'alice' },
        { kind: 'ServiceAccount', name: 'robot', namespace: 'default' },
      ],
    },
  },
  {
    create: ['clusterrole', 'node-reader', '--verb=get,watch', '--resource=nodes'],
    get: ['clusterrole', 'node-reader'],
    expect: { rules: [{ apiGroups: [''], resources: ['nodes'], verbs: ['get', 'watch'] }] },
  },
  {
    create: ['clusterrolebinding', 'read-nodes', '--clusterrole=node-reader', '--group=devs'],
    get: ['clusterrolebinding', 'read-nodes'],
    expect: {
      roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'node-reader' },
      subjects: [{ apiGroup: RBAC, kind: 'Group', name: 'devs' }],
    },
  },
  { create: ['serviceaccount', 'robot'], get: ['serviceaccount', 'robot'], expect: { 'metadata.namespace': 'default' } },
];

/** The value at a dotted path (`spec.ports.0.port`) of a parsed JSON document. */
function valueAt(document: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => (typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined), document);
}

for (const { version, path: bin } of kubectlBinaries()) {
  describe(`kubectl ${version} typed create`, () => {
    let cluster: TestCluster;
    const { ok, run } = bindKubectl(() => cluster, bin);

    before(async () => {
      cluster = await startCluster();
    });
    after(async () => {
      await cluster?.stop();
    });

    for (const { create, get, expect } of CASES) {
      test(`kubectl create ${create.join(' ')}`, async () => {
        assert.match(await ok(['create', ...create]), / created\n$/);
        const stored: unknown = JSON.parse(await ok(['get', ...get, '-o', 'json']));
        for (const [path, value] of Object.entries(expect)) assert.deepEqual(valueAt(stored, path), value, path);
      });
    }

    if (version === 'path') {
      test('the newest kubectl really sends protobuf', async () => {
        const result = await run(['create', 'configmap', 'wire', '--from-literal=a=b', '-v=8']);
        assert.equal(result.code, 0, result.stderr);
        const lines = result.stderr.split('\n');
        const post = lines.findIndex((line) => /\] POST \S+\/configmaps/.test(line));
        assert.ok(post >= 0, result.stderr);
        assert.ok(lines.slice(post, post + 6).some((line) => line.includes('Content-Type: application/vnd.kubernetes.protobuf')), result.stderr);
      });
    }

    test('a dry run of a typed create stores nothing', async () => {
      assert.match(await ok(['create', 'configmap', 'dry', '--from-literal=a=b', '--dry-run=server', '-o', 'json']), /"a": "b"/);
      const gone = await run(['get', 'configmap', 'dry']);
      assert.match(gone.stderr, /configmaps "dry" not found/);
    });
  });
}
