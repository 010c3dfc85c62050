import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { deepCopy, type KubeObject } from '../../../api/object.js';
import { podStrategy } from './pods.js';

const render = (errs: ReadonlyArray<{ field: string; detail: string }>): string[] => errs.map((e) => `${e.field}: ${e.detail}`);
const pod = (spec: object): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'd' }, spec });
const created = (spec: object): Pod => {
  const obj = pod(spec);
  podStrategy.applyDefaults?.(obj);
  podStrategy.prepareForCreate?.(obj);
  return obj as unknown as Pod;
};

describe('pod defaults', () => {
  test('spec, container, probe and volume defaults match upstream', () => {
    const p = created({
      containers: [
        {
          name: 'c', image: 'nginx', ports: [{ containerPort: 80 }],
          livenessProbe: { httpGet: { port: 80 } },
          resources: { limits: { cpu: '0.5', memory: '1024Mi' } },
          env: [{ name: 'N', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
        },
        { name: 'd', image: 'busybox:1.36' },
      ],
      volumes: [{ name: 'v' }, { name: 'cm', configMap: { name: 'x' } }],
    });
    const spec = p.spec!;
    assert.equal(spec.restartPolicy, 'Always');
    assert.equal(spec.dnsPolicy, 'ClusterFirst');
    assert.equal(spec.terminationGracePeriodSeconds, 30);
    assert.equal(spec.schedulerName, 'default-scheduler');
    assert.deepEqual(spec.securityContext, {});
    assert.equal(spec.enableServiceLinks, true);
    const [c, d] = spec.containers;
    assert.equal(c?.imagePullPolicy, 'Always');
    assert.equal(d?.imagePullPolicy, 'IfNotPresent');
    assert.equal(c?.terminationMessagePath, '/dev/termination-log');
    assert.equal(c?.terminationMessagePolicy, 'File');
    assert.equal(c?.ports?.[0]?.protocol, 'TCP');
    assert.deepEqual(c?.livenessProbe, { httpGet: { port: 80, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
    assert.deepEqual(c?.resources, { limits: { cpu: '500m', memory: '1Gi' }, requests: { cpu: '500m', memory: '1Gi' } });
    assert.equal(c?.env?.[0]?.valueFrom?.fieldRef?.apiVersion, 'v1');
    assert.deepEqual(spec.volumes?.[0], { name: 'v', emptyDir: {} });
    assert.equal(spec.volumes?.[1]?.configMap?.defaultMode, 420);
    assert.deepEqual(p.status, { phase: 'Pending', qosClass: 'Burstable' });
  });

  test('qos class is BestEffort without resources and Burstable with partial ones', () => {
    assert.equal(created({ containers: [{ name: 'c', image: 'x' }] }).status?.qosClass, 'BestEffort');
    assert.equal(created({ containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '1' } } }] }).status?.qosClass, 'Burstable');
  });
});

describe('pod validation', () => {
  test('missing containers, names and images use upstream paths', () => {
    assert.deepEqual(render(podStrategy.validate!(pod({ restartPolicy: 'Always', dnsPolicy: 'ClusterFirst' }))), ['spec.containers: Required value']);
    const obj = pod({ containers: [{}] });
    podStrategy.applyDefaults?.(obj);
    assert.deepEqual(render(podStrategy.validate!(obj)), ['spec.containers[0].name: Required value', 'spec.containers[0].image: Required value']);
  });

  test('enums, duplicates, ports and requests over limits are rejected', () => {
    const obj = pod({
      restartPolicy: 'Sometimes',
      containers: [
        { name: 'a', image: 'x', ports: [{ containerPort: 70000 }], resources: { requests: { cpu: '2' }, limits: { cpu: '1' } } },
        { name: 'a', image: 'x', imagePullPolicy: 'Maybe' },
      ],
      volumes: [{ name: 'v' }, { name: 'v' }],
    });
    podStrategy.applyDefaults?.(obj);
    const errs = render(podStrategy.validate!(obj));
    assert.ok(errs.includes('spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"'));
    assert.ok(errs.includes('spec.containers[1].name: Duplicate value: "a"'));
    assert.ok(errs.includes('spec.volumes[1].name: Duplicate value: "v"'));
    assert.ok(errs.includes('spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive'));
    assert.ok(errs.includes('spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1'));
    assert.ok(errs.includes('spec.containers[1].imagePullPolicy: Unsupported value: "Maybe": supported values: "Always", "IfNotPresent", "Never"'));
  });
});

describe('pod updates', () => {
  const old = created({ containers: [{ name: 'c', image: 'nginx:1' }], activeDeadlineSeconds: 100 }) as unknown as KubeObject;

  test('image, deadline and toleration additions are allowed', () => {
    const next = deepCopy(old) as unknown as Pod;
    next.spec!.containers[0]!.image = 'nginx:2';
    next.spec!.activeDeadlineSeconds = 50;
    next.spec!.tolerations = [{ key: 'k', operator: 'Exists' }];
    assert.deepEqual(podStrategy.validateUpdate!(next as unknown as KubeObject, old), []);
  });

  test('other spec changes are forbidden with upstream text; status is kept', () => {
    const next = deepCopy(old) as unknown as Pod;
    next.spec!.restartPolicy = 'Never';
    (next as unknown as KubeObject).status = { phase: 'Running' };
    podStrategy.prepareForUpdate?.(next as unknown as KubeObject, old);
    assert.equal(next.status?.phase, 'Pending');
    const [err] = podStrategy.validateUpdate!(next as unknown as KubeObject, old);
    assert.equal(err?.field, 'spec');
    assert.match(err?.detail ?? '', /^Forbidden: pod updates may not change fields other than `spec.containers\[\*\].image`,/);
    assert.match(err?.detail ?? '', /spec.restartPolicy/);
  });

  test('adding a container and raising the deadline are refused', () => {
    const more = deepCopy(old) as unknown as Pod;
    more.spec!.containers.push({ name: 'd', image: 'x' });
    assert.deepEqual(render(podStrategy.validateUpdate!(more as unknown as KubeObject, old)), ['spec.containers: Forbidden: pod updates may not add or remove containers']);
    const later = deepCopy(old) as unknown as Pod;
    later.spec!.activeDeadlineSeconds = 200;
    assert.deepEqual(render(podStrategy.validateUpdate!(later as unknown as KubeObject, old)), [
      'spec.activeDeadlineSeconds: Invalid value: 200: must be less than or equal to previous value',
    ]);
  });

  test('status updates keep the spec and qos class; field selectors read the pod', () => {
    const next = deepCopy(old) as unknown as Pod;
    next.spec!.nodeName = 'n1';
    (next as unknown as KubeObject).status = { phase: 'Running', qosClass: 'Guaranteed' };
    podStrategy.prepareForStatusUpdate?.(next as unknown as KubeObject, old);
    assert.equal(next.spec?.nodeName, undefined);
    assert.deepEqual(next.status, { phase: 'Running', qosClass: 'BestEffort' });
    assert.equal(podStrategy.selectableFields?.['status.phase']?.(next as unknown as KubeObject), 'Running');
    assert.equal(podStrategy.selectableFields?.['spec.hostNetwork']?.(next as unknown as KubeObject), 'false');
  });
});
