import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { disabledComponents } from './components.js';
import { UsageError } from './flags.js';

describe('--disable values', () => {
  test('known components, repeated or comma separated', () => {
    assert.deepEqual([...disabledComponents(undefined)], []);
    assert.deepEqual([...disabledComponents(['controllers'])], ['controllers']);
    assert.deepEqual([...disabledComponents(['controllers,controllers', ' controllers'])], ['controllers']);
  });

  test('an unknown component is refused with the known ones listed', () => {
    assert.throws(() => disabledComponents(['controllers', 'bogus']), (err: unknown) => {
      assert.ok(err instanceof UsageError);
      assert.equal(err.message, 'k8ts server: unknown component "bogus" for --disable (known components: controllers, scheduler, kubelet)');
      return true;
    });
    assert.throws(() => disabledComponents(['toString']), UsageError);
  });
});
