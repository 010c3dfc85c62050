/**
 * The informer's cache: objects by key (`namespace/name`, or `name` for cluster-scoped
 * objects) plus secondary indexes computed by index functions and kept up to date on
 * every write. Objects in the cache are shared with every reader: never mutate them.
 */
import type { KubeObject } from '../api/object.js';

/** Computes the index values of an object (e.g. `[pod.spec.nodeName]`); `[]` = not indexed. */
export type IndexFunc<T extends KubeObject> = (obj: T) => readonly string[];

/** Named index functions. */
export type Indexers<T extends KubeObject> = Record<string, IndexFunc<T>>;

/** The name of the built-in namespace index. */
export const NAMESPACE_INDEX = 'namespace';

/** Index function: an object's namespace (cluster-scoped objects are not indexed). */
export function namespaceIndexFunc(obj: KubeObject): readonly string[] {
  const ns = obj.metadata.namespace;
  return ns === undefined || ns === '' ? [] : [ns];
}

/** The cache key of an object: `namespace/name`, or `name` when it has no namespace. */
export function objectKey(obj: KubeObject): string {
  const { namespace, name } = obj.metadata;
  if (name === undefined || name === '') throw new Error('object has no metadata.name');
  return namespace === undefined || namespace === '' ? name : `${namespace}/${name}`;
}

/** The cache key for a name in a namespace (`''` or absent namespace: cluster-scoped). */
export function keyOf(name: string, namespace?: string): string {
  return namespace === undefined || namespace === '' ? name : `${namespace}/${name}`;
}

/** Splits a cache key into namespace (`''` when cluster-scoped) and name. */
export function splitKey(key: string): { namespace: string; name: string } {
  const slash = key.indexOf('/');
  return slash < 0 ? { namespace: '', name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

/** A keyed object cache with secondary indexes. */
export class Indexer<T extends KubeObject> {
  readonly #items = new Map<string, T>();
  readonly #indexers = new Map<string, IndexFunc<T>>();
  /** index name → index value → keys */
  readonly #indices = new Map<string, Map<string, Set<string>>>();

  /** Starts with the namespace index plus `indexers`. */
  constructor(indexers: Indexers<T> = {}) {
    this.addIndexers({ [NAMESPACE_INDEX]: namespaceIndexFunc, ...indexers });
  }

  /** Adds index functions, indexing objects already present. Re-registering a name throws. */
  addIndexers(indexers: Indexers<T>): void {
    for (const [name, fn] of Object.entries(indexers)) {
      if (this.#indexers.has(name)) throw new Error(`indexer ${JSON.stringify(name)} already exists`);
      this.#indexers.set(name, fn);
      const index = new Map<string, Set<string>>();
      this.#indices.set(name, index);
      for (const [key, obj] of this.#items) addToIndex(index, fn(obj), key);
    }
  }

  /** Inserts or replaces the object under its key; returns the previous one. */
  set(obj: T): T | undefined {
    const key = objectKey(obj);
    const old = this.#items.get(key);
    if (old !== undefined) this.#unindex(key, old);
    this.#items.set(key, obj);
    this.#index(key, obj);
    return old;
  }

  /** Removes the object with this key; returns it. */
  delete(key: string): T | undefined {
    const old = this.#items.get(key);
    if (old === undefined) return undefined;
    this.#unindex(key, old);
    this.#items.delete(key);
    return old;
  }

  /** Replaces the whole content. */
  replace(objects: readonly T[]): void {
    this.#items.clear();
    for (const index of this.#indices.values()) index.clear();
    for (const obj of objects) this.set(obj);
  }

  /** The object under `key`. */
  get(key: string): T | undefined {
    return this.#items.get(key);
  }

  /** Every object, in insertion order. */
  list(): T[] {
    return [...this.#items.values()];
  }

  /** Every key. */
  keys(): string[] {
    return [...this.#items.keys()];
  }

  /** How many objects are cached. */
  get size(): number {
    return this.#items.size;
  }

  /** Objects whose index function `indexName` produced `value`. Unknown index → throws. */
  byIndex(indexName: string, value: string): T[] {
    const keys = this.#indexOf(indexName).get(value);
    if (keys === undefined) return [];
    const out: T[] = [];
    for (const key of keys) {
      const obj = this.#items.get(key);
      if (obj !== undefined) out.push(obj);
    }
    return out;
  }

  /** Keys of the objects with `value` in index `indexName`. */
  indexKeys(indexName: string, value: string): string[] {
    return [...(this.#indexOf(indexName).get(value) ?? [])];
  }

  /** Every value present in index `indexName`. */
  indexValues(indexName: string): string[] {
    return [...this.#indexOf(indexName).keys()];
  }

  #indexOf(indexName: string): Map<string, Set<string>> {
    const index = this.#indices.get(indexName);
    if (index === undefined) throw new Error(`index ${JSON.stringify(indexName)} does not exist`);
    return index;
  }

  #index(key: string, obj: T): void {
    for (const [name, fn] of this.#indexers) addToIndex(this.#indices.get(name)!, fn(obj), key);
  }

  #unindex(key: string, obj: T): void {
    for (const [name, fn] of this.#indexers) {
      const index = this.#indices.get(name)!;
      for (const value of fn(obj)) {
        const keys = index.get(value);
        if (keys === undefined) continue;
        keys.delete(key);
        if (keys.size === 0) index.delete(value);
      }
    }
  }
}

function addToIndex(index: Map<string, Set<string>>, values: readonly string[], key: string): void {
  for (const value of values) {
    let keys = index.get(value);
    if (keys === undefined) index.set(value, (keys = new Set()));
    keys.add(key);
  }
}
