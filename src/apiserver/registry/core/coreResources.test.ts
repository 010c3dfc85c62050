import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { deepCopy, type KubeObject } from '../../../api/object.js';
import { configMapStrategy } from './configmaps.js';
import { namespaceStrategy } from './namespaces.js';
import { secretStrategy } from './secrets.js';
import { serviceStrategy } from './services.js';
import { coreEventToEventsV1, eventsV1ToCoreEvent } from '../events/conversion.js';
import { jobStrategy } from '../batch/jobs.js';
import { scheduleError } from '../batch/cronjobs.js';

const render = (errs: ReadonlyArray<{ field: string; detail: string }>): string[] => errs.map((e) => `${e.field}: ${e.detail}`);

describe('configmaps and secrets', () => {
  test('keys must be config keys', () => {
    const errs = render(configMapStrategy.validate!({ metadata: { name: 'c' }, data: { 'a/b': 'x' } }));
    assert.match(errs[0] ?? '', /^data\[a\/b\]: Invalid value: "a\/b": a valid config key must consist of alphanumeric characters/);
  });

  test('immutable data cannot change and immutable cannot be unset', () => {
    const old: KubeObject = { metadata: { name: 'c' }, data: { a: '1' }, immutable: true };
    const next: KubeObject = { metadata: { name: 'c' }, data: { a: '2' }, immutable: true };
    assert.deepEqual(render(configMapStrategy.validateUpdate!(next, old)), ['data: Forbidden: field is immutable when `immutable` is set']);
    assert.deepEqual(configMapStrategy.validateUpdate!(deepCopy(old), old), []);
  });

  test('secrets default to Opaque, fold stringData into data, and keep their type', () => {
    const secret: KubeObject = { metadata: { name: 's' }, stringData: { user: 'bob' } };
    secretStrategy.applyDefaults?.(secret);
    assert.equal(secret.type, 'Opaque');
    assert.deepEqual(secret.data, { user: Buffer.from('bob').toString('base64') });
    assert.equal(secret.stringData, undefined);
    const changed = { ...deepCopy(secret), type: 'kubernetes.io/tls' };
    assert.deepEqual(render(secretStrategy.validateUpdate!(changed, secret)), ['type: Invalid value: "kubernetes.io/tls": field is immutable']);
    assert.deepEqual(render(secretStrategy.validate!({ metadata: { name: 't' }, type: 'kubernetes.io/tls', data: {} })), [
      'data[tls.crt]: Required value',
      'data[tls.key]: Required value',
    ]);
  });
});

describe('services', () => {
  test('defaults', () => {
    const svc: KubeObject = { metadata: { name: 's' }, spec: { selector: { app: 'a' }, ports: [{ port: 80 }] } };
    serviceStrategy.applyDefaults?.(svc);
    assert.deepEqual(svc.spec, {
      selector: { app: 'a' },
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
      sessionAffinity: 'None',
      type: 'ClusterIP',
      internalTrafficPolicy: 'Cluster',
      ipFamilyPolicy: 'SingleStack',
      ipFamilies: ['IPv4'],
    });
    assert.deepEqual(serviceStrategy.validate!(svc), []);
    const np: KubeObject = { metadata: { name: 'n' }, spec: { type: 'NodePort', ports: [{ port: 80 }] } };
    serviceStrategy.applyDefaults?.(np);
    assert.equal((np.spec as Record<string, unknown>).externalTrafficPolicy, 'Cluster');
  });

  test('validation of ports, type and names', () => {
    const svc: KubeObject = { metadata: { name: '1svc' }, spec: { type: 'Weird', ports: [{ port: 80 }, { port: 0 }] } };
    serviceStrategy.applyDefaults?.(svc);
    const errs = render(serviceStrategy.validate!(svc));
    assert.ok(errs.some((e) => e.startsWith('metadata.name: Invalid value: "1svc": a DNS-1035 label')));
    assert.ok(errs.includes('spec.type: Unsupported value: "Weird": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"'));
    assert.ok(errs.includes('spec.ports[0].name: Required value'));
    assert.ok(errs.includes('spec.ports[1].port: Invalid value: 0: must be between 1 and 65535, inclusive'));
    assert.deepEqual(render(serviceStrategy.validate!({ metadata: { name: 'e' }, spec: { type: 'ExternalName', sessionAffinity: 'None' } })), ['spec.externalName: Required value']);
  });

  test('cluster IPs may not change; omitted ones are kept', () => {
    const old: KubeObject = { metadata: { name: 's' }, spec: { type: 'ClusterIP', clusterIP: '198.19.0.10', clusterIPs: ['198.19.0.10'], ports: [{ port: 80 }] } };
    const changed = deepCopy(old);
    Object.assign(changed.spec as object, { clusterIP: '198.19.0.11', clusterIPs: ['198.19.0.11'] });
    assert.deepEqual(render(serviceStrategy.validateUpdate!(changed, old)), ['spec.clusterIPs[0]: Invalid value: []string{"198.19.0.11"}: may not change once set']);
    const omitted: KubeObject = { metadata: { name: 's' }, spec: { type: 'ClusterIP', ports: [{ port: 80 }] } };
    serviceStrategy.applyDefaults?.(omitted);
    serviceStrategy.prepareForUpdate?.(omitted, old);
    assert.deepEqual(serviceStrategy.validateUpdate!(omitted, old), []);
    assert.equal((omitted.spec as Record<string, unknown>).clusterIP, '198.19.0.10');
  });
});

describe('namespaces', () => {
  test('label, finalizer and phase on create; finalizers kept on update', () => {
    const ns: KubeObject = { metadata: { name: 'team' } };
    namespaceStrategy.applyDefaults?.(ns);
    namespaceStrategy.prepareForCreate?.(ns);
    assert.deepEqual(ns.metadata.labels, { 'kubernetes.io/metadata.name': 'team' });
    assert.deepEqual(ns.spec, { finalizers: ['kubernetes'] });
    assert.deepEqual(ns.status, { phase: 'Active' });
    const next: KubeObject = { metadata: { name: 'team' }, spec: { finalizers: [] }, status: { phase: 'Terminating' } };
    namespaceStrategy.prepareForUpdate?.(next, ns);
    assert.deepEqual(next.spec, { finalizers: ['kubernetes'] });
    assert.deepEqual(next.status, { phase: 'Active' });
  });
});

describe('jobs and cronjobs', () => {
  test('job defaults and generated selector', () => {
    const job: KubeObject = { metadata: { name: 'j', uid: 'u-1' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'x' }] } } } };
    jobStrategy.applyDefaults?.(job);
    assert.deepEqual(jobStrategy.validate!(job), []);
    const spec = job.spec as Record<string, unknown>;
    assert.equal(spec.completions, 1);
    assert.equal(spec.parallelism, 1);
    assert.equal(spec.backoffLimit, 6);
    assert.equal(spec.completionMode, 'NonIndexed');
    assert.equal(spec.suspend, false);
    assert.deepEqual(spec.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u-1' } });
    const labels = (spec.template as { metadata: { labels: Record<string, string> } }).metadata.labels;
    assert.deepEqual(labels, { 'batch.kubernetes.io/controller-uid': 'u-1', 'batch.kubernetes.io/job-name': 'j', 'controller-uid': 'u-1', 'job-name': 'j' });
  });

  test('cron schedules', () => {
    for (const ok of ['*/5 * * * *', '0 0 1 jan mon', '@hourly', '@every 1h30m']) assert.equal(scheduleError(ok), undefined, ok);
    for (const bad of ['* * * *', '61 * * * *', '@sometimes', 'TZ=UTC * * * * *']) assert.notEqual(scheduleError(bad), undefined, bad);
  });
});

describe('event conversion', () => {
  test('fields map both ways', () => {
    const core: KubeObject = {
      apiVersion: 'v1', kind: 'Event', metadata: { name: 'e', namespace: 'd' },
      involvedObject: { kind: 'Pod', name: 'p' }, message: 'hi', reason: 'Started', reportingComponent: 'kubelet',
      source: { component: 'kubelet' }, count: 2, firstTimestamp: 'a', lastTimestamp: 'b', type: 'Normal',
    };
    const v1 = coreEventToEventsV1(core);
    assert.equal(v1.apiVersion, 'events.k8s.io/v1');
    assert.deepEqual(v1.regarding, { kind: 'Pod', name: 'p' });
    assert.equal(v1.note, 'hi');
    assert.equal(v1.reportingController, 'kubelet');
    assert.equal(v1.deprecatedCount, 2);
    assert.deepEqual(eventsV1ToCoreEvent(v1), core);
  });
});
