import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/object.js';
import { RESOURCES, findResource } from '../../api/resources.js';
import { toTable, type Table } from './table.js';

const now = new Date('2026-03-01T12:00:00Z');
const ago = (ms: number): string => new Date(now.getTime() - ms).toISOString();
const HOUR = 3_600_000;

function info(group: string, resource: string) {
  const found = RESOURCES.find((r) => r.group === group && r.resource === resource);
  assert.ok(found, `${group}/${resource} is served`);
  return found;
}

/** The row of `table` as a map from column name to cell. */
function rowByName(table: Table, index = 0): Record<string, unknown> {
  const row = table.rows[index];
  assert.ok(row);
  assert.equal(row.cells.length, table.columnDefinitions.length);
  return Object.fromEntries(table.columnDefinitions.map((c, i) => [c.name, row.cells[i]]));
}

const deployment: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', creationTimestamp: ago(3 * HOUR) },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'nginx', image: 'nginx:1' }, { name: 'sidecar', image: 'busybox' }] },
    },
  },
  status: { replicas: 3, readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
};

describe('toTable', () => {
  test('a deployment: READY UP-TO-DATE AVAILABLE AGE, wide CONTAINERS IMAGES SELECTOR', () => {
    const table = toTable(info('apps', 'deployments'), [deployment], { includeObject: 'None', now });
    assert.equal(table.kind, 'Table');
    assert.equal(table.apiVersion, 'meta.k8s.io/v1');
    assert.deepEqual(
      table.columnDefinitions.map((c) => [c.name, c.priority]),
      [['Name', 0], ['Ready', 0], ['Up-to-date', 0], ['Available', 0], ['Age', 0], ['Containers', 1], ['Images', 1], ['Selector', 1]],
    );
    assert.equal(table.columnDefinitions[0]?.format, 'name');
    assert.deepEqual(rowByName(table), {
      Name: 'web',
      Ready: '2/3',
      'Up-to-date': 3,
      Available: 2,
      Age: '3h',
      Containers: 'nginx,sidecar',
      Images: 'nginx:1,busybox',
      Selector: 'app=web',
    });
    assert.equal(table.rows[0]?.object, undefined);
  });

  test('wide: false drops priority columns and their cells', () => {
    const table = toTable(info('apps', 'deployments'), [deployment], { includeObject: 'None', now, wide: false });
    assert.ok(table.columnDefinitions.every((c) => c.priority === 0));
    assert.equal(table.rows[0]?.cells.length, table.columnDefinitions.length);
  });

  test('includeObject chooses PartialObjectMetadata, the object, or nothing', () => {
    const d = findResource('apps', 'v1', 'deployments');
    assert.ok(d);
    const meta = toTable(d, [deployment], { includeObject: 'Metadata', now }).rows[0]?.object as KubeObject;
    assert.equal(meta.kind, 'PartialObjectMetadata');
    assert.equal(meta.apiVersion, 'meta.k8s.io/v1');
    assert.equal(meta.metadata.name, 'web');
    assert.equal(meta.spec, undefined);
    assert.equal(toTable(d, [deployment], { includeObject: 'Object', now }).rows[0]?.object, deployment);
  });

  test('list metadata is carried over', () => {
    const table = toTable(info('apps', 'deployments'), [], {
      includeObject: 'Metadata',
      now,
      listMeta: { resourceVersion: '42', continue: 'abc' },
    });
    assert.deepEqual(table.metadata, { resourceVersion: '42', continue: 'abc' });
    assert.deepEqual(table.rows, []);
  });

  test('a service with ports: TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE SELECTOR', () => {
    const svc: KubeObject = {
      metadata: { name: 'web', namespace: 'default', creationTimestamp: ago(90_000) },
      spec: {
        type: 'NodePort',
        clusterIP: '198.19.0.10',
        clusterIPs: ['198.19.0.10'],
        selector: { tier: 'front', app: 'web' },
        ports: [
          { port: 80, nodePort: 30080, protocol: 'TCP' },
          { port: 53, protocol: 'UDP' },
        ],
      },
    };
    assert.deepEqual(rowByName(toTable(info('', 'services'), [svc], { includeObject: 'None', now })), {
      Name: 'web',
      Type: 'NodePort',
      'Cluster-IP': '198.19.0.10',
      'External-IP': '<none>',
      'Port(s)': '80:30080/TCP,53/UDP',
      Age: '90s',
      Selector: 'app=web,tier=front',
    });
    const lb: KubeObject = { metadata: { name: 'lb' }, spec: { type: 'LoadBalancer', ports: [] } };
    const row = rowByName(toTable(info('', 'services'), [lb], { includeObject: 'None', now }));
    assert.equal(row['External-IP'], '<pending>');
    assert.equal(row['Cluster-IP'], '<none>');
    assert.equal(row['Port(s)'], '<none>');
    assert.equal(row.Age, '<unknown>');
  });

  test('a node: STATUS ROLES AGE VERSION and wide addresses and system info', () => {
    const node: KubeObject = {
      metadata: {
        name: 'node-1',
        creationTimestamp: ago(50 * HOUR),
        labels: { 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/role': 'worker' },
      },
      spec: { unschedulable: true },
      status: {
        conditions: [{ type: 'Ready', status: 'True' }],
        addresses: [{ type: 'InternalIP', address: '127.0.0.1' }, { type: 'Hostname', address: 'node-1' }],
        nodeInfo: { kubeletVersion: 'v1.32.0', osImage: 'Debian GNU/Linux 12', kernelVersion: '6.1.0', containerRuntimeVersion: 'containerd://1.6.20' },
      },
    };
    assert.deepEqual(rowByName(toTable(info('', 'nodes'), [node], { includeObject: 'None', now })), {
      Name: 'node-1',
      Status: 'Ready,SchedulingDisabled',
      Roles: 'control-plane,worker',
      Age: '2d2h',
      Version: 'v1.32.0',
      'Internal-IP': '127.0.0.1',
      'External-IP': '<none>',
      'OS-Image': 'Debian GNU/Linux 12',
      'Kernel-Version': '6.1.0',
      'Container-Runtime': 'containerd://1.6.20',
    });
    const bare = rowByName(toTable(info('', 'nodes'), [{ metadata: { name: 'n' } }], { includeObject: 'None', now }));
    assert.equal(bare.Status, 'Unknown');
    assert.equal(bare.Roles, '<none>');
    assert.equal(bare['OS-Image'], '<unknown>');
  });

  test('jobs: STATUS, COMPLETIONS and DURATION', () => {
    const job = (spec: object, status: object, deleting = false): KubeObject => ({
      metadata: { name: 'j', creationTimestamp: ago(HOUR), ...(deleting ? { deletionTimestamp: ago(0) } : {}) },
      spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox' }] } }, ...spec },
      status,
    });
    const table = toTable(info('batch', 'jobs'), [
      job({ completions: 3 }, { succeeded: 3, startTime: ago(HOUR), completionTime: ago(HOUR - 47_000), conditions: [{ type: 'Complete', status: 'True' }] }),
      job({ parallelism: 4 }, { succeeded: 1, startTime: ago(5 * 60_000 + 2_000) }),
      job({}, {}),
      job({}, { conditions: [{ type: 'Suspended', status: 'True' }] }),
      job({}, {}, true),
    ], { includeObject: 'None', now });
    const rows = table.rows.map((_, i) => rowByName(table, i));
    assert.deepEqual(rows.map((r) => [r.Status, r.Completions, r.Duration]), [
      ['Complete', '3/3', '47s'],
      ['Running', '1/1 of 4', '5m2s'],
      ['Running', '0/1', ''],
      ['Suspended', '0/1', ''],
      ['Terminating', '0/1', ''],
    ]);
  });

  test('events: LAST SEEN TYPE REASON OBJECT MESSAGE, in both API shapes', () => {
    const core: KubeObject = {
      metadata: { name: 'web.1' },
      involvedObject: { kind: 'Pod', name: 'web-0', fieldPath: 'spec.containers{app}' },
      type: 'Warning',
      reason: 'BackOff',
      message: ' Back-off restarting failed container \n',
      firstTimestamp: ago(HOUR),
      lastTimestamp: ago(120_000),
      count: 7,
      source: { component: 'kubelet', host: 'node-1' },
    };
    const modern: KubeObject = {
      metadata: { name: 'web.2' },
      regarding: { kind: 'Deployment', name: 'web' },
      type: 'Normal',
      reason: 'ScalingReplicaSet',
      note: 'Scaled up',
      eventTime: ago(30_000),
      reportingController: 'deployment-controller',
    };
    const table = toTable(info('events.k8s.io', 'events'), [core, modern], { includeObject: 'None', now });
    assert.deepEqual(
      table.columnDefinitions.filter((c) => c.priority === 0).map((c) => c.name),
      ['Last Seen', 'Type', 'Reason', 'Object', 'Message'],
    );
    assert.deepEqual(rowByName(table, 0), {
      'Last Seen': '2m',
      Type: 'Warning',
      Reason: 'BackOff',
      Object: 'pod/web-0',
      Subobject: 'spec.containers{app}',
      Source: 'kubelet, node-1',
      Message: 'Back-off restarting failed container',
      'First Seen': '60m',
      Count: 7,
      Name: 'web.1',
    });
    const second = rowByName(table, 1);
    assert.deepEqual([second['Last Seen'], second.Object, second.Message, second.Source, second.Count], ['30s', 'deployment/web', 'Scaled up', 'deployment-controller', 1]);
  });

  test('resources without a printer get NAME and CREATED AT', () => {
    const role: KubeObject = { metadata: { name: 'reader', creationTimestamp: '2026-02-01T08:09:10.500Z' } };
    const table = toTable(info('rbac.authorization.k8s.io', 'roles'), [role], { includeObject: 'None', now });
    assert.deepEqual(table.columnDefinitions.map((c) => [c.name, c.type]), [['Name', 'string'], ['Created At', 'date']]);
    assert.deepEqual(table.rows[0]?.cells, ['reader', '2026-02-01T08:09:10Z']);
  });

  test('every listable served resource prints one cell per column for a bare object', () => {
    for (const r of RESOURCES.filter((x) => x.verbs.includes('list'))) {
      const table = toTable(r, [{ metadata: { name: 'x' } }], { includeObject: 'Metadata', now });
      assert.equal(table.rows[0]?.cells.length, table.columnDefinitions.length, `${r.group}/${r.resource}`);
      assert.ok(table.columnDefinitions.some((c) => c.format === 'name'), `${r.group}/${r.resource} has a name column`);
    }
  });
});
