import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { podQOSClass } from './qos.js';

type Res = Record<string, string>;
function c(name: string, requests?: Res, limits?: Res): Container {
  return { name, image: 'busybox', resources: { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) } };
}
function pod(containers: Container[], initContainers: Container[] = []): Pod {
  return { metadata: { name: 'p' }, spec: { containers, initContainers } };
}
const full = { cpu: '100m', memory: '100Mi' };

test('no requests or limits anywhere is BestEffort', () => {
  assert.equal(podQOSClass(pod([c('a'), c('b')])), 'BestEffort');
});

test('zero quantities and non-compute resources do not count', () => {
  assert.equal(podQOSClass(pod([c('a', { cpu: '0', memory: '0' }, { 'nvidia.com/gpu': '1' })])), 'BestEffort');
});

test('equal cpu and memory requests and limits in every container is Guaranteed', () => {
  assert.equal(podQOSClass(pod([c('a', full, full), c('b', full, full)])), 'Guaranteed');
});

test('limits only: requests default from limits, so Guaranteed', () => {
  assert.equal(podQOSClass(pod([c('a', undefined, { cpu: '1', memory: '1Gi' })])), 'Guaranteed');
});

test('equal values written differently still match', () => {
  assert.equal(podQOSClass(pod([c('a', { cpu: '1', memory: '1Gi' }, { cpu: '1000m', memory: '1024Mi' })])), 'Guaranteed');
});

test('requests below limits is Burstable', () => {
  assert.equal(podQOSClass(pod([c('a', { cpu: '50m', memory: '100Mi' }, full)])), 'Burstable');
});

test('a container without limits makes an otherwise guaranteed pod Burstable', () => {
  assert.equal(podQOSClass(pod([c('a', full, full), c('b')])), 'Burstable');
});

test('only a cpu limit is Burstable', () => {
  assert.equal(podQOSClass(pod([c('a', undefined, { cpu: '1' })])), 'Burstable');
});

test('only requests is Burstable', () => {
  assert.equal(podQOSClass(pod([c('a', { memory: '10Mi' })])), 'Burstable');
});

test('init containers count: a best-effort init container breaks Guaranteed', () => {
  assert.equal(podQOSClass(pod([c('a', full, full)], [c('init')])), 'Burstable');
});

test('init containers count: a resourced init container lifts BestEffort', () => {
  assert.equal(podQOSClass(pod([c('a')], [c('init', full, full)])), 'Burstable');
});

test('guaranteed init containers keep a guaranteed pod Guaranteed', () => {
  assert.equal(podQOSClass(pod([c('a', full, full)], [c('init', full, full)])), 'Guaranteed');
});

test('a pod without spec is BestEffort', () => {
  assert.equal(podQOSClass({}), 'BestEffort');
});
