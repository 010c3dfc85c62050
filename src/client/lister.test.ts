import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/object.js';
import { Indexer, NAMESPACE_INDEX, objectKey, splitKey } from './indexer.js';
import { Lister } from './lister.js';

function pod(namespace: string, name: string, nodeName: string, labels: Record<string, string> = {}): KubeObject {
  return { metadata: { namespace, name, labels }, spec: { nodeName } };
}

const byNode = (obj: KubeObject): string[] => {
  const node = (obj['spec'] as { nodeName?: string } | undefined)?.nodeName;
  return node ? [node] : [];
};
const names = (objs: KubeObject[]) => objs.map(objectKey).sort();

describe('Indexer', () => {
  test('keys objects by namespace/name and splits keys back', () => {
    assert.equal(objectKey(pod('ns', 'a', '')), 'ns/a');
    assert.equal(objectKey({ metadata: { name: 'node1' } }), 'node1');
    assert.deepEqual(splitKey('ns/a'), { namespace: 'ns', name: 'a' });
    assert.deepEqual(splitKey('node1'), { namespace: '', name: 'node1' });
  });

  test('keeps custom indexes current across add, update, delete and replace', () => {
    const indexer = new Indexer<KubeObject>({ node: byNode });
    indexer.set(pod('ns', 'a', 'n1'));
    indexer.set(pod('ns', 'b', 'n1'));
    indexer.set(pod('other', 'c', 'n2'));
    assert.deepEqual(names(indexer.byIndex('node', 'n1')), ['ns/a', 'ns/b']);
    indexer.set(pod('ns', 'b', 'n2'));
    assert.deepEqual(names(indexer.byIndex('node', 'n1')), ['ns/a']);
    assert.deepEqual(names(indexer.byIndex('node', 'n2')), ['ns/b', 'other/c']);
    indexer.delete('ns/a');
    assert.deepEqual(indexer.byIndex('node', 'n1'), []);
    assert.deepEqual(indexer.indexValues('node').sort(), ['n2']);
    indexer.replace([pod('x', 'd', 'n3')]);
    assert.deepEqual(indexer.keys(), ['x/d']);
    assert.deepEqual(indexer.indexValues('node'), ['n3']);
    assert.deepEqual(indexer.indexValues(NAMESPACE_INDEX), ['x']);
  });

  test('indexers added later index what is already cached; unknown indexes throw', () => {
    const indexer = new Indexer<KubeObject>();
    indexer.set(pod('ns', 'a', 'n1'));
    indexer.addIndexers({ node: byNode });
    assert.deepEqual(names(indexer.byIndex('node', 'n1')), ['ns/a']);
    assert.throws(() => indexer.addIndexers({ node: byNode }));
    assert.throws(() => indexer.byIndex('nope', 'x'));
  });
});

describe('Lister', () => {
  const indexer = new Indexer<KubeObject>({ node: byNode });
  for (const p of [pod('a', 'web-1', 'n1', { app: 'web' }), pod('a', 'db-1', 'n1', { app: 'db' }), pod('b', 'web-2', 'n2', { app: 'web' })]) indexer.set(p);
  indexer.set({ metadata: { name: 'n1' } });
  const lister = new Lister(indexer);
  const web = (labels: Readonly<Record<string, string>>) => labels['app'] === 'web';

  test('lists everything or by label matcher', () => {
    assert.equal(lister.list().length, 4);
    assert.deepEqual(names(lister.list(web)), ['a/web-1', 'b/web-2']);
  });

  test('gets by name, namespaced or cluster-scoped', () => {
    assert.equal(lister.get('web-1', 'a')?.metadata.name, 'web-1');
    assert.equal(lister.get('web-1', 'b'), undefined);
    assert.equal(lister.get('n1')?.metadata.name, 'n1');
  });

  test('namespace views list and get within one namespace', () => {
    assert.deepEqual(names(lister.namespace('a').list()), ['a/db-1', 'a/web-1']);
    assert.deepEqual(names(lister.namespace('a').list(web)), ['a/web-1']);
    assert.equal(lister.namespace('b').get('web-1'), undefined);
    assert.equal(lister.namespace('b').get('web-2')?.metadata.namespace, 'b');
  });

  test('custom indexes filter by labels too', () => {
    assert.deepEqual(names(lister.byIndex('node', 'n1')), ['a/db-1', 'a/web-1']);
    assert.deepEqual(names(lister.byIndex('node', 'n1', web)), ['a/web-1']);
  });
});
