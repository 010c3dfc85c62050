import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../api/object.js';
import { jobStrategy } from './jobs.js';

const errorsOf = (spec: Record<string, unknown>, restartPolicy = 'Never'): string[] => {
  const job: KubeObject = { metadata: { name: 'j', uid: 'u-1' }, spec: { template: { spec: { restartPolicy, containers: [{ name: 'c', image: 'busybox' }] } }, ...spec } };
  jobStrategy.applyDefaults?.(job);
  return jobStrategy.validate!(job).map((e) => `${e.field}: ${e.detail}`);
};

test('per-index backoff needs Indexed completion, maxFailedIndexes needs it and fits completions', () => {
  assert.deepEqual(errorsOf({ completionMode: 'Indexed', completions: 3, backoffLimitPerIndex: 1, maxFailedIndexes: 2 }), []);
  assert.deepEqual(errorsOf({ backoffLimitPerIndex: 1 }), ['spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode']);
  assert.deepEqual(errorsOf({ completionMode: 'Indexed', completions: 3, maxFailedIndexes: 1 }), ['spec.backoffLimitPerIndex: Required value: when maxFailedIndexes is specified']);
  assert.deepEqual(errorsOf({ completionMode: 'Indexed', completions: 3, backoffLimitPerIndex: 1, maxFailedIndexes: 4 }), ['spec.maxFailedIndexes: Invalid value: 4: must be less than or equal to completions']);
});

test('a podFailurePolicy needs restartPolicy Never', () => {
  const podFailurePolicy = { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] };
  assert.deepEqual(errorsOf({ podFailurePolicy }), []);
  assert.deepEqual(errorsOf({ podFailurePolicy }, 'OnFailure'), ['spec.template.spec.restartPolicy: Invalid value: "OnFailure": only "Never" is supported when podFailurePolicy is specified']);
});
