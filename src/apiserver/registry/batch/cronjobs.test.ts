import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../api/object.js';
import { cronJobStrategy } from './cronjobs.js';

const cronJob = (timeZone?: string): KubeObject => ({
  metadata: { name: 'c' },
  spec: {
    schedule: '0 9 * * *',
    ...(timeZone !== undefined ? { timeZone } : {}),
    jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } },
  },
});

const timeZoneErrors = (zone?: string): string[] => {
  const obj = cronJob(zone);
  cronJobStrategy.applyDefaults?.(obj);
  return cronJobStrategy.validate!(obj).filter((e) => e.field === 'spec.timeZone').map((e) => e.detail ?? '');
};

test('timeZone accepts IANA zones, links included, and refuses unknown, empty and Local', () => {
  for (const zone of [undefined, 'UTC', 'Etc/UTC', 'Asia/Kolkata', 'America/New_York']) assert.deepEqual(timeZoneErrors(zone), [], zone);
  assert.deepEqual(timeZoneErrors('Mars/Olympus'), ['Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus']);
  assert.deepEqual(timeZoneErrors('../etc/passwd'), ['Invalid value: "../etc/passwd": unknown time zone ../etc/passwd']);
  assert.equal(timeZoneErrors('').length, 1);
  assert.equal(timeZoneErrors('Local').length, 1);
});
