import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../../api/status.js';
import { applyStrategicMergePatch } from './strategic-merge-patch.js';
import { patchSchemaFromOpenApiV3 } from './openapi-schema.js';
import { deploymentSchema, podSchema } from './testing/fixture-schemas.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const smp = (original: Obj, patch: unknown): Obj => applyStrategicMergePatch(original, patch, podSchema());

function pod(): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', labels: { app: 'web' }, annotations: { owner: 'ops' }, finalizers: ['a', 'b'] },
    spec: {
      containers: [
        { name: 'app', image: 'nginx', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], args: ['x', 'y'] },
        { name: 'side', image: 'busybox' },
      ],
      tolerations: [{ key: 'k1' }, { key: 'k2' }],
    },
  };
}

function statusOf(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof StatusError, `expected StatusError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected an error');
}

/** A schema with one merging list keyed by name and one merging primitive list. */
const listSchema = patchSchemaFromOpenApiV3(
  {
    root: {
      type: 'object',
      properties: {
        mergingList: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } } }, 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-patch-merge-key': 'name' },
        mergingIntList: { type: 'array', items: { type: 'integer' }, 'x-kubernetes-patch-strategy': 'merge' },
      },
    },
  },
  'root',
);

describe('applyStrategicMergePatch: maps and scalars', () => {
  test('merges maps, null deletes, scalars replace, original untouched', () => {
    const original = pod();
    const out = smp(original, { metadata: { labels: { app: null, tier: 'db' }, annotations: null }, spec: { restartPolicy: 'Never' } });
    assert.deepEqual(out.metadata.labels, { tier: 'db' });
    assert.equal('annotations' in out.metadata, false);
    assert.equal(out.spec.restartPolicy, 'Never');
    assert.deepEqual(original, pod());
  });

  test('$patch: replace on a map keeps only the patch; $patch: delete empties it', () => {
    const replaced = smp(pod(), { metadata: { labels: { $patch: 'replace', only: 'this' } } });
    assert.deepEqual(replaced.metadata.labels, { only: 'this' });
    const deleted = smp(pod(), { metadata: { labels: { $patch: 'delete' } } });
    assert.deepEqual(deleted.metadata.labels, {});
    assert.equal(statusOf(() => smp(pod(), { metadata: { labels: { $patch: 'bogus' } } })).code, 400);
  });

  test('a whole-object $patch: replace replaces the object', () => {
    assert.deepEqual(smp(pod(), { $patch: 'replace', kind: 'Pod' }), { kind: 'Pod' });
  });

  test('unknown fields: maps merge, lists replace, nulls in new values are dropped', () => {
    const out = smp({ extra: { a: 1, b: 2 }, extraList: [1, 2] }, { extra: { b: null, c: 3 }, extraList: [3], fresh: { x: null, y: 1 } });
    assert.deepEqual(out, { extra: { a: 1, c: 3 }, extraList: [3], fresh: { y: 1 } });
  });

  test('a new map carrying $patch: delete is not stored, directive keys in new values are dropped', () => {
    const out = smp({}, { gone: { $patch: 'delete' }, kept: { $retainKeys: ['a'], a: 1 } });
    assert.deepEqual(out, { kept: { a: 1 } });
  });
});

describe('applyStrategicMergePatch: lists', () => {
  test('lists with merge strategy merge items by merge key; new items follow the patch order', () => {
    const out = smp(pod(), { spec: { containers: [{ name: 'app', image: 'nginx:2' }, { name: 'new', image: 'redis' }] } });
    // As upstream: server-only items are only placed before a patch item they precede in the live list.
    assert.deepEqual(out.spec.containers.map((c: Obj) => [c.name, c.image]), [['app', 'nginx:2'], ['new', 'redis'], ['side', 'busybox']]);
    assert.equal(out.spec.containers[0].env.length, 2, 'unpatched fields of merged items stay');
  });

  test('nested merging lists merge by their own key (ports by containerPort)', () => {
    const original = { spec: { containers: [{ name: 'app', ports: [{ containerPort: 80, name: 'http' }, { containerPort: 443 }] }] } };
    const out = smp(original, { spec: { containers: [{ name: 'app', ports: [{ containerPort: 80, name: 'web' }] }] } });
    assert.deepEqual(out.spec.containers[0].ports, [{ containerPort: 80, name: 'web' }, { containerPort: 443 }]);
  });

  test('$patch: delete removes a list item by key', () => {
    const out = smp(pod(), { spec: { containers: [{ name: 'side', $patch: 'delete' }] } });
    assert.deepEqual(out.spec.containers.map((c: Obj) => c.name), ['app']);
  });

  test('$patch: replace as a list item replaces the list with the other items', () => {
    const out = smp(pod(), { spec: { containers: [{ $patch: 'replace' }, { name: 'only', image: 'x' }] } });
    assert.deepEqual(out.spec.containers, [{ name: 'only', image: 'x' }]);
  });

  test('lists without merge strategy are replaced', () => {
    const out = smp(pod(), { spec: { tolerations: [{ key: 'k3' }], containers: [{ name: 'app', args: ['z'] }] } });
    assert.deepEqual(out.spec.tolerations, [{ key: 'k3' }]);
    assert.deepEqual(out.spec.containers[0].args, ['z']);
  });

  test('primitive lists with merge strategy merge as sets; $deleteFromPrimitiveList removes', () => {
    const added = smp(pod(), { metadata: { finalizers: ['b', 'c'] } });
    assert.deepEqual(added.metadata.finalizers, ['a', 'b', 'c']);
    const removed = smp(pod(), { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } });
    assert.deepEqual(removed.metadata.finalizers, ['b']);
  });

  test('a null list item field is deleted from the merged item', () => {
    const out = smp(pod(), { spec: { containers: [{ name: 'app', env: null }] } });
    assert.equal('env' in out.spec.containers[0], false);
  });
});

describe('applyStrategicMergePatch: $setElementOrder', () => {
  const current = () => ({
    mergingList: [{ name: '1', other: 'a' }, { name: '3', value: '3' }, { name: '4', value: '4' }, { name: '2', value: '2' }, { name: '9' }],
  });

  test('orders listed items and keeps server-only items after their live neighbours', () => {
    const out = applyStrategicMergePatch(current(), { '$setElementOrder/mergingList': [{ name: '4' }, { name: '2' }, { name: '3' }, { name: '1' }] }, listSchema);
    assert.deepEqual(out.mergingList.map((i: Obj) => i.name), ['4', '2', '3', '1', '9']);
    assert.deepEqual(out.mergingList[3], { name: '1', other: 'a' });
  });

  test('interleaves server-only items by live position', () => {
    const live = { mergingList: [{ name: '1' }, { name: '2' }, { name: '7' }, { name: '9' }, { name: '8' }, { name: '3' }, { name: '4' }] };
    const out = applyStrategicMergePatch(live, { '$setElementOrder/mergingList': [{ name: '2' }, { name: '1' }, { name: '4' }, { name: '3' }] }, listSchema);
    assert.deepEqual(out.mergingList.map((i: Obj) => i.name), ['2', '1', '7', '9', '8', '4', '3']);
  });

  test('merges the patched list and places new items where the order says', () => {
    const live = { mergingList: [{ name: 'a' }, { name: 'b' }], mergingIntList: [1, 2, 3] };
    const out = applyStrategicMergePatch(
      live,
      {
        '$setElementOrder/mergingList': [{ name: 'a' }, { name: 'new' }, { name: 'b' }],
        mergingList: [{ name: 'new', v: 1 }],
        '$setElementOrder/mergingIntList': [3, 1, 4],
        mergingIntList: [4],
        '$deleteFromPrimitiveList/mergingIntList': [2],
      },
      listSchema,
    );
    assert.deepEqual(out.mergingList, [{ name: 'a' }, { name: 'new', v: 1 }, { name: 'b' }]);
    assert.deepEqual(out.mergingIntList, [3, 1, 4]);
  });

  test('a patch list out of the $setElementOrder order is 400', () => {
    const err = statusOf(() =>
      applyStrategicMergePatch({ mergingList: [] }, { '$setElementOrder/mergingList': [{ name: 'a' }, { name: 'b' }], mergingList: [{ name: 'b' }, { name: 'a' }] }, listSchema),
    );
    assert.equal(err.code, 400);
  });
});

describe('applyStrategicMergePatch: $retainKeys', () => {
  const deployment = () => ({ spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } }, replicas: 2 } });

  test('keeps only the listed keys of the map', () => {
    const out = applyStrategicMergePatch(deployment(), { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } }, deploymentSchema());
    assert.deepEqual(out.spec.strategy, { type: 'Recreate' });
    assert.equal(out.spec.replicas, 2);
  });

  test('retainKeys on list items (volumes) drops the old volume source', () => {
    const live = { spec: { volumes: [{ name: 'v', emptyDir: {} }] } };
    const out = smp(live, { spec: { volumes: [{ name: 'v', $retainKeys: ['configMap', 'name'], configMap: { name: 'cm' } }] } });
    assert.deepEqual(out.spec.volumes, [{ name: 'v', configMap: { name: 'cm' } }]);
  });

  test('a patched key missing from $retainKeys is 400', () => {
    const err = statusOf(() => applyStrategicMergePatch(deployment(), { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: {} } } }, deploymentSchema()));
    assert.equal(err.code, 400);
    assert.equal(err.message, 'invalid patch format of retainKeys');
  });
});

describe('applyStrategicMergePatch: patches as kubectl apply sends them', () => {
  test('removing one env var keeps the other manager\'s annotation and container', () => {
    const live = pod();
    live.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'] = '{"old":true}';
    const patch = {
      metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"new":true}' } },
      spec: {
        '$setElementOrder/containers': [{ name: 'app' }],
        containers: [{ name: 'app', '$setElementOrder/env': [{ name: 'A' }], env: [{ name: 'B', $patch: 'delete' }] }],
      },
    };
    const out = smp(live, patch);
    assert.deepEqual(out.spec.containers[0].env, [{ name: 'A', value: '1' }]);
    assert.deepEqual(out.spec.containers.map((c: Obj) => c.name), ['app', 'side']);
    assert.equal(out.metadata.annotations.owner, 'ops');
    assert.equal(out.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'], '{"new":true}');
  });

  test('changing the image and adding a label in one patch', () => {
    const patch = {
      metadata: { labels: { tier: 'web' } },
      spec: { '$setElementOrder/containers': [{ name: 'app' }, { name: 'side' }], containers: [{ name: 'side', image: 'busybox:2' }] },
    };
    const out = smp(pod(), patch);
    assert.deepEqual(out.metadata.labels, { app: 'web', tier: 'web' });
    assert.deepEqual(out.spec.containers.map((c: Obj) => c.image), ['nginx', 'busybox:2']);
  });
});

describe('applyStrategicMergePatch: malformed patches', () => {
  test('an item without the merge key is 400 naming the key', () => {
    const err = statusOf(() => smp(pod(), { spec: { containers: [{ image: 'x' }] } }));
    assert.equal(err.code, 400);
    assert.equal(err.message, 'map: map[image:x] does not contain declared merge key: name');
  });

  test('lists of lists are 422', () => {
    assert.equal(statusOf(() => applyStrategicMergePatch({ mergingIntList: [[1]] }, { mergingIntList: [[2]] }, listSchema)).code, 422);
  });

  test('$patch: merge in a list and a non-object patch are 400', () => {
    assert.equal(statusOf(() => smp(pod(), { spec: { containers: [{ $patch: 'merge' }] } })).code, 400);
    assert.equal(statusOf(() => smp(pod(), [1])).code, 400);
    assert.equal(statusOf(() => smp(pod(), { metadata: { '$deleteFromPrimitiveList': ['a'] } })).code, 400);
  });
});
