import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RESOURCES } from '../../api/resources.js';
import { resourcesWithoutStrategy, strategyFor } from './index.js';

test('every catalogued resource has a strategy, with hasStatus matching its status subresource', () => {
  assert.deepEqual(resourcesWithoutStrategy(), []);
  for (const info of RESOURCES) {
    const strategy = strategyFor(info.group, info.resource);
    const hasStatusSub = info.subresources.some((s) => s.name === 'status');
    assert.equal(strategy.hasStatus === true, hasStatusSub, `${info.group}/${info.resource}`);
  }
  assert.deepEqual(strategyFor('example.com', 'widgets'), {});
});
