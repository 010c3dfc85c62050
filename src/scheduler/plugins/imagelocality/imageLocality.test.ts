import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { CycleState } from '../../framework/cycleState.js';
import { handleOver, makeNode, makeNodeInfo, makePod } from '../testing/nodeInfos.js';
import { imagePriority, MAX_CONTAINER_THRESHOLD, MIN_THRESHOLD, newImageLocality, normalizedImageName } from './imageLocality.js';

const MIB = 1024 * 1024;

function podWith(...images: string[]): Pod {
  return makePod('p', { spec: { containers: images.map((image, i) => ({ name: `c${i}`, image })) } });
}

describe('ImageLocality', () => {
  it('normalizes tag-less image names to :latest', () => {
    assert.equal(normalizedImageName('busybox'), 'busybox:latest');
    assert.equal(normalizedImageName('busybox:1.36'), 'busybox:1.36');
    assert.equal(normalizedImageName('localhost:5000/app'), 'localhost:5000/app:latest');
    assert.equal(normalizedImageName('localhost:5000/app:v2'), 'localhost:5000/app:v2');
  });

  it('clamps to the thresholds and maps linearly onto 0…100', () => {
    assert.equal(imagePriority(0, 1), 0);
    assert.equal(imagePriority(MIN_THRESHOLD, 1), 0);
    assert.equal(imagePriority(MAX_CONTAINER_THRESHOLD, 1), 100);
    assert.equal(imagePriority(5000 * MIB, 1), 100);
    assert.equal(imagePriority(MAX_CONTAINER_THRESHOLD, 2), Math.trunc((100 * (1000 - 23)) / (2000 - 23)));
  });

  it('scores images by size scaled by the share of nodes holding them', () => {
    const big = { names: ['app:v1', 'registry/app@sha256:abc'], sizeBytes: 600 * MIB };
    const small = { names: ['tool:latest'], sizeBytes: 10 * MIB };
    const infos = [
      makeNodeInfo(makeNode('n1', { images: [big, small] })),
      makeNodeInfo(makeNode('n2', { images: [big] })),
      makeNodeInfo(makeNode('n3')),
      makeNodeInfo(makeNode('n4')),
    ];
    const plugin = newImageLocality(handleOver(infos));
    const pod = podWith('app:v1', 'tool');
    const scores = infos.map((info) => plugin.score(new CycleState(), pod, info));
    // n1: 600MiB * 2/4 + 10MiB * 1/4 = 302.5MiB; n2: 300MiB; two containers → max 2000MiB
    const expected = (bytes: number): number => Math.trunc((100 * (bytes - MIN_THRESHOLD)) / (2 * MAX_CONTAINER_THRESHOLD - MIN_THRESHOLD));
    assert.deepEqual(scores, [expected(Math.trunc(300 * MIB) + Math.trunc(2.5 * MIB)), expected(300 * MIB), 0, 0]);
  });

  it('counts init containers too', () => {
    const infos = [makeNodeInfo(makeNode('n1', { images: [{ names: ['init:latest'], sizeBytes: 2000 * MIB }] }))];
    const pod = makePod('p', { spec: { initContainers: [{ name: 'i', image: 'init' }], containers: [{ name: 'c', image: 'missing' }] } });
    assert.equal(newImageLocality(handleOver(infos)).score(new CycleState(), pod, infos[0]!), 100);
  });
});
