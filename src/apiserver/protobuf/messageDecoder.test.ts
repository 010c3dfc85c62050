import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeEnvelope } from './decodeBody.js';
import { ProtobufDecodeError } from './decodeError.js';
import { readEnvelope } from './envelope.js';
import { envelope, message, newObjectMeta } from './testing/wireBuilder.js';

const decode = (body: Buffer): Record<string, unknown> => decodeEnvelope(readEnvelope(body));

describe('protobuf bodies decode to the JSON the JSON path gets', () => {
  test('ConfigMap with data and binaryData; unknown fields are skipped', () => {
    const raw = message()
      .message(1, (m) => newObjectMeta(m, 'settings', 'default').stringEntry(11, 'app', 'web'))
      .stringEntry(2, 'mode', 'fast')
      .stringEntry(2, 'empty', '')
      .message(3, (e) => e.string(1, 'blob').bytes(2, Uint8Array.of(0, 1, 254, 255)))
      .string(99, 'a field from the future')
      .finish();
    assert.deepEqual(decode(envelope('v1', 'ConfigMap', raw)), {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings', namespace: 'default', labels: { app: 'web' } },
      data: { mode: 'fast', empty: '' },
      binaryData: { blob: 'AAH+/w==' },
    });
  });

  test('Deployment with replicas 0, a container with ports, env and resources', () => {
    const container = message()
      .string(1, 'web')
      .string(2, 'busybox')
      .message(6, (p) => p.string(1, '').varint(2, 0).varint(3, 80).string(4, 'TCP').string(5, ''))
      .message(7, (e) => e.string(1, 'MODE').string(2, 'fast'))
      .message(8, (r) =>
        r.message(1, (e) => e.string(1, 'cpu').message(2, (q) => q.string(1, '500m'))).message(2, (e) => e.string(1, 'memory').message(2, (q) => q.string(1, '64Mi'))),
      )
      .string(13, '')
      .string(14, '')
      .varint(16, false)
      .varint(18, false);
    const spec = message()
      .varint(1, 0)
      .message(2, (s) => s.stringEntry(1, 'app', 'web'))
      .message(3, (t) =>
        t
          .message(1, (m) => newObjectMeta(m, '').stringEntry(11, 'app', 'web'))
          .message(2, (p) => p.message(2, () => container).string(3, '').message(14, (sc) => sc.varint(2, 0))),
      )
      .message(4, (s) => s.string(1, ''))
      .varint(5, 0)
      .varint(7, false);
    const status = message().varint(1, 0).varint(2, 0).varint(3, 0).varint(7, 0).varint(4, 0).varint(5, 0);
    const raw = message()
      .message(1, (m) => newObjectMeta(m, 'web'))
      .message(2, () => spec)
      .message(3, () => status)
      .finish();
    assert.deepEqual(decode(envelope('apps/v1', 'Deployment', raw)), {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [
              {
                name: 'web',
                image: 'busybox',
                ports: [{ containerPort: 80, protocol: 'TCP' }],
                env: [{ name: 'MODE', value: 'fast' }],
                resources: { limits: { cpu: '500m' }, requests: { memory: '64Mi' } },
              },
            ],
            securityContext: { runAsUser: 0 },
          },
        },
        strategy: {},
      },
      status: {},
    });
  });

  test('Secret data is base64; a set pointer keeps false', () => {
    const raw = message()
      .message(1, (m) => newObjectMeta(m, 'creds'))
      .varint(5, false)
      .message(2, (e) => e.string(1, 'password').bytes(2, Buffer.from('s3cr3t')))
      .string(3, 'Opaque')
      .finish();
    assert.deepEqual(decode(envelope('v1', 'Secret', raw)), {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'creds' },
      immutable: false,
      data: { password: 'czNjcjN0' },
      type: 'Opaque',
    });
  });

  test('Service targetPort as a number and as a name; non-omitempty zero port is kept', () => {
    const port = (name: string, number: number, target: (t: ReturnType<typeof message>) => ReturnType<typeof message>) =>
      message().string(1, name).string(2, 'TCP').varint(3, number).message(4, target).varint(5, 0);
    const raw = message()
      .message(1, (m) => newObjectMeta(m, 'web'))
      .message(2, (s) =>
        s
          .message(1, () => port('http', 80, (t) => t.varint(1, 0).varint(2, 8080).string(3, '')))
          .message(1, () => port('https', 443, (t) => t.varint(1, 1).varint(2, 0).string(3, 'https')))
          .message(1, () => port('zero', 0, (t) => t.varint(1, 0).varint(2, 0).string(3, '')))
          .stringEntry(2, 'app', 'web')
          .string(3, '')
          .string(4, 'ClusterIP'),
      )
      .message(3, (s) => s.message(1))
      .finish();
    assert.deepEqual(decode(envelope('v1', 'Service', raw)), {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web' },
      spec: {
        ports: [
          { name: 'http', protocol: 'TCP', port: 80, targetPort: 8080 },
          { name: 'https', protocol: 'TCP', port: 443, targetPort: 'https' },
          { name: 'zero', protocol: 'TCP', port: 0, targetPort: 0 },
        ],
        selector: { app: 'web' },
        type: 'ClusterIP',
      },
      status: { loadBalancer: {} },
    });
  });

  test('SelfSubjectAccessReview as kubectl auth can-i sends it', () => {
    const raw = message()
      .message(1, (m) => newObjectMeta(m, ''))
      .message(2, (s) => s.message(1, (a) => a.string(1, 'default').string(2, 'get').string(3, '').string(4, '').string(5, 'pods').string(6, '').string(7, '')))
      .message(3, (s) => s.varint(1, false).varint(4, false).string(2, '').string(3, ''))
      .finish();
    assert.deepEqual(decode(envelope('authorization.k8s.io/v1', 'SelfSubjectAccessReview', raw)), {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      metadata: {},
      spec: { resourceAttributes: { namespace: 'default', verb: 'get', resource: 'pods' } },
      status: { allowed: false },
    });
  });

  test('SelfSubjectReview as kubectl auth whoami sends it', () => {
    const raw = message()
      .message(1, (m) => newObjectMeta(m, ''))
      .message(2, (s) => s.message(1, (u) => u.string(1, '').string(2, '')))
      .finish();
    assert.deepEqual(decode(envelope('authentication.k8s.io/v1', 'SelfSubjectReview', raw)), {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'SelfSubjectReview',
      metadata: {},
      status: { userInfo: {} },
    });
  });

  test('SubjectAccessReview extra values (a wrapped list per key)', () => {
    const raw = message()
      .message(1, (m) => newObjectMeta(m, ''))
      .message(2, (s) =>
        s
          .message(2, (n) => n.string(1, '/healthz').string(2, 'get'))
          .string(3, 'alice')
          .string(4, 'devs')
          .string(4, 'ops')
          .message(5, (e) => e.string(1, 'scopes').message(2, (v) => v.string(1, 'read').string(1, 'write'))),
      )
      .finish();
    assert.deepEqual(decode(envelope('authorization.k8s.io/v1', 'SubjectAccessReview', raw)), {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      metadata: {},
      spec: {
        nonResourceAttributes: { path: '/healthz', verb: 'get' },
        user: 'alice',
        groups: ['devs', 'ops'],
        extra: { scopes: ['read', 'write'] },
      },
    });
  });

  test('Pod volumes inline their source; packed and unpacked repeated scalars both read', () => {
    const raw = message()
      .message(1, (m) => newObjectMeta(m, 'p'))
      .message(2, (s) =>
        s
          .message(1, (v) => v.string(1, 'scratch').message(2, (src) => src.message(2, (e) => e.string(1, 'Memory').message(2, (q) => q.string(1, '1Gi')))))
          .message(14, (sc) => sc.packedVarints(4, [1, 2]).varint(4, 3)),
      )
      .finish();
    assert.deepEqual(decode(envelope('v1', 'Pod', raw)), {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: {
        volumes: [{ name: 'scratch', emptyDir: { medium: 'Memory', sizeLimit: '1Gi' } }],
        securityContext: { supplementalGroups: [1, 2, 3] },
      },
    });
  });

  test('times, micro times, managed fields and raw extensions', () => {
    const stamp = (seconds: number | bigint, nanos = 0) => (t: ReturnType<typeof message>) => t.varint(1, seconds).varint(2, nanos);
    const event = message()
      .message(1, (m) =>
        m
          .string(1, 'e1')
          .message(8, stamp(1_700_000_000, 999_999_999))
          .message(9, stamp(-62135596800n))
          .message(17, (f) => f.string(1, 'kubectl').string(2, 'Update').message(7, (j) => j.bytes(1, Buffer.from('{"f:data":{}}')))),
      )
      .message(2, (o) => o.string(1, 'Pod'))
      .message(6, stamp(0))
      .message(7)
      .message(10, stamp(1_700_000_000, 123_456_789))
      .string(14, '')
      .finish();
    assert.deepEqual(decode(envelope('v1', 'Event', event)), {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'e1', creationTimestamp: '2023-11-14T22:13:20Z', managedFields: [{ manager: 'kubectl', operation: 'Update', fieldsV1: { 'f:data': {} } }] },
      involvedObject: { kind: 'Pod' },
      firstTimestamp: '1970-01-01T00:00:00Z',
      eventTime: '2023-11-14T22:13:20.123456Z',
      reportingComponent: '',
    });
    const revision = message()
      .message(1, (m) => newObjectMeta(m, 'r1'))
      .message(2, (d) => d.bytes(1, Buffer.from('{"spec":{"replicas":3}}')))
      .varint(3, 0)
      .finish();
    assert.deepEqual(decode(envelope('apps/v1', 'ControllerRevision', revision)), {
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: { name: 'r1' },
      data: { spec: { replicas: 3 } },
      revision: 0,
    });
  });

  test('DeleteOptions of any served group', () => {
    const raw = message().varint(1, 0).message(2, (p) => p.string(1, 'uid-1')).string(4, 'Foreground').string(5, 'All').finish();
    assert.deepEqual(decode(envelope('apps/v1', 'DeleteOptions', raw)), {
      apiVersion: 'apps/v1',
      kind: 'DeleteOptions',
      gracePeriodSeconds: 0,
      preconditions: { uid: 'uid-1' },
      propagationPolicy: 'Foreground',
      dryRun: ['All'],
    });
  });
});

describe('malformed protobuf bodies', () => {
  const rejects = (body: Buffer, pattern: RegExp): void => {
    assert.throws(() => decode(body), (err: unknown) => err instanceof ProtobufDecodeError && pattern.test(err.message));
  };

  test('a body without the magic prefix', () => {
    rejects(Buffer.from('{"kind":"ConfigMap"}'), /does not start with the Kubernetes protobuf prefix/);
  });

  test('a truncated message', () => {
    const raw = message().message(1, (m) => newObjectMeta(m, 'cut')).finish();
    rejects(envelope('v1', 'ConfigMap', raw.subarray(0, raw.length - 3)), /malformed protobuf data/);
  });

  test('a field with the wrong wire type', () => {
    rejects(envelope('v1', 'ConfigMap', message().varint(1, 7).finish()), /ConfigMap.metadata: wire type 0, expected 2/);
  });

  test('an invalid quantity', () => {
    const raw = message()
      .message(1, (m) => newObjectMeta(m, 'q'))
      .message(2, (s) => s.message(1, (e) => e.string(1, 'cpu').message(2, (q) => q.string(1, 'lots'))))
      .finish();
    rejects(envelope('v1', 'ResourceQuota', raw), /quantities must match the regular expression/);
  });

  test('a kind without a schema, and a missing kind', () => {
    rejects(envelope('v1', 'Widget', new Uint8Array()), /no protobuf schema for kind "Widget" in version "v1"/);
    rejects(envelope('', '', new Uint8Array()), /Kind' is missing/);
  });

  test('a compressed payload', () => {
    const unknown = message().message(1, (t) => t.string(1, 'v1').string(2, 'ConfigMap')).bytes(2, new Uint8Array()).string(3, 'gzip').finish();
    rejects(Buffer.concat([Buffer.from('k8s\0'), unknown]), /unsupported content encoding "gzip"/);
  });
});
