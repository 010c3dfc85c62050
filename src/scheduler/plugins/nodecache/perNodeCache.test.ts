import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { NodeInfo } from '../../framework/interface.js';
import { makeNode, makeNodeInfo, makePod } from '../testing/nodeInfos.js';
import { PerNodeCache } from './perNodeCache.js';

/** A cache summing pods per node, counting how often it computes. */
function podSum(): { cache: PerNodeCache<number>; total: () => number; computed: () => number } {
  let total = 0;
  let computed = 0;
  const cache = new PerNodeCache<number>({
    compute: (info) => {
      computed += 1;
      return info.pods.length;
    },
    apply: (pods, sign) => {
      total += sign * pods;
    },
  });
  return { cache, total: () => total, computed: () => computed };
}

function info(name: string, pods: number): NodeInfo {
  return makeNodeInfo(makeNode(name), Array.from({ length: pods }, (_, i) => makePod(`${name}-${i}`, { nodeName: name })));
}

describe('PerNodeCache', () => {
  it('recomputes only the positions replaced in a list kept across cycles', () => {
    const sum = podSum();
    const list: NodeInfo[] = [info('a', 1), info('b', 2), info('c', 3)];
    sum.cache.sync(list, {});
    assert.deepEqual([sum.total(), sum.computed()], [6, 3]);
    list[1] = info('b', 5);
    sum.cache.sync(list, {});
    assert.deepEqual([sum.total(), sum.computed()], [9, 4]);
    sum.cache.sync(list, {});
    assert.deepEqual([sum.total(), sum.computed()], [9, 4]);
  });

  it('sees pods added to a NodeInfo in place, in the next cycle', () => {
    const sum = podSum();
    const list: NodeInfo[] = [info('a', 1), info('b', 0)];
    const cycle = {};
    sum.cache.sync(list, cycle);
    (list[1]!.pods as unknown[]).push({ pod: makePod('x'), requests: new Map() });
    sum.cache.sync(list, cycle);
    assert.equal(sum.total(), 1, 'a cycle sees one state of the nodes');
    sum.cache.sync(list, {});
    assert.equal(sum.total(), 2);
  });

  it('follows a new list with nodes added, renamed and removed', () => {
    const sum = podSum();
    sum.cache.sync([info('a', 1), info('b', 2)], {});
    sum.cache.sync([info('b', 2), info('c', 4), info('d', 1)], {});
    assert.equal(sum.total(), 7);
    const list = [info('b', 2), info('c', 4)];
    sum.cache.sync(list, {});
    list[0] = info('e', 10);
    sum.cache.sync(list, {});
    assert.equal(sum.total(), 14);
  });

  it('keeps two caches on one list consistent when they sync at different cycles', () => {
    const first = podSum();
    const second = podSum();
    const list: NodeInfo[] = [info('a', 1), info('b', 1)];
    first.cache.sync(list, {});
    second.cache.sync(list, {});
    list[0] = info('a', 3);
    first.cache.sync(list, {});
    list[1] = info('b', 4);
    const cycle = {};
    first.cache.sync(list, cycle);
    second.cache.sync(list, cycle);
    assert.deepEqual([first.total(), second.total()], [7, 7]);
  });
});
