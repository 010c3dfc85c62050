import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Deployment } from 'kubernetes-types/apps/v1.js';
import { deepCopy, type KubeObject } from '../../../api/object.js';
import { deploymentStrategy } from './deployments.js';
import { statefulSetStrategy } from './statefulsets.js';
import { daemonSetStrategy } from './daemonsets.js';

const render = (errs: ReadonlyArray<{ field: string; detail: string }>): string[] => errs.map((e) => `${e.field}: ${e.detail}`);
const template = (labels: Record<string, string>): object => ({ metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
const deployment = (spec: object): KubeObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'n' }, spec });

describe('deployments', () => {
  test('defaults match apps/v1', () => {
    const obj = deployment({ selector: { matchLabels: { app: 'a' } }, template: template({ app: 'a' }) });
    deploymentStrategy.applyDefaults?.(obj);
    const spec = (obj as unknown as Deployment).spec!;
    assert.equal(spec.replicas, 1);
    assert.deepEqual(spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
    assert.equal(spec.revisionHistoryLimit, 10);
    assert.equal(spec.progressDeadlineSeconds, 600);
    assert.equal(spec.template.spec?.restartPolicy, 'Always');
    assert.deepEqual(deploymentStrategy.validate!(obj), []);
    assert.equal(deploymentStrategy.tracksGeneration, true);
  });

  test('selector required and must match template labels', () => {
    const missing = deployment({ template: template({ app: 'a' }) });
    deploymentStrategy.applyDefaults?.(missing);
    assert.deepEqual(render(deploymentStrategy.validate!(missing)), ['spec.selector: Required value']);
    const mismatch = deployment({ selector: { matchLabels: { app: 'b' } }, template: template({ app: 'a' }) });
    deploymentStrategy.applyDefaults?.(mismatch);
    assert.deepEqual(render(deploymentStrategy.validate!(mismatch)), [
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"a"}: `selector` does not match template `labels`',
    ]);
  });

  test('replicas and rolling update values are checked; selector is immutable', () => {
    const obj = deployment({
      replicas: -1,
      selector: { matchLabels: { app: 'a' } },
      template: template({ app: 'a' }),
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } },
    });
    deploymentStrategy.applyDefaults?.(obj);
    assert.deepEqual(render(deploymentStrategy.validate!(obj)), [
      'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
      'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0',
    ]);
    const changed = deepCopy(obj) as unknown as Deployment;
    changed.spec!.selector = { matchLabels: { app: 'b' } };
    assert.deepEqual(render(deploymentStrategy.validateUpdate!(changed as unknown as KubeObject, obj)), [
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"b"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    ]);
  });
});

describe('statefulsets and daemonsets', () => {
  test('defaults', () => {
    const sts: KubeObject = { metadata: { name: 's' }, spec: { selector: { matchLabels: { a: 'b' } }, template: template({ a: 'b' }) } };
    statefulSetStrategy.applyDefaults?.(sts);
    const spec = sts.spec as Record<string, unknown>;
    assert.equal(spec.podManagementPolicy, 'OrderedReady');
    assert.deepEqual(spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
    assert.deepEqual(spec.persistentVolumeClaimRetentionPolicy, { whenDeleted: 'Retain', whenScaled: 'Retain' });
    assert.deepEqual(statefulSetStrategy.validate!(sts), []);
    const ds: KubeObject = { metadata: { name: 'x' }, spec: { selector: { matchLabels: { a: 'b' } }, template: template({ a: 'b' }) } };
    daemonSetStrategy.applyDefaults?.(ds);
    assert.deepEqual((ds.spec as Record<string, unknown>).updateStrategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
    assert.deepEqual(daemonSetStrategy.validate!(ds), []);
  });

  test('statefulset spec changes beyond the allowed fields are forbidden', () => {
    const sts: KubeObject = { metadata: { name: 's' }, spec: { serviceName: 'a', selector: { matchLabels: { a: 'b' } }, template: template({ a: 'b' }) } };
    statefulSetStrategy.applyDefaults?.(sts);
    const next = deepCopy(sts);
    (next.spec as Record<string, unknown>).replicas = 5;
    assert.deepEqual(statefulSetStrategy.validateUpdate!(next, sts), []);
    (next.spec as Record<string, unknown>).serviceName = 'b';
    assert.match(render(statefulSetStrategy.validateUpdate!(next, sts))[0] ?? '', /^spec: Forbidden: updates to statefulset spec for fields other than 'replicas'/);
  });
});
