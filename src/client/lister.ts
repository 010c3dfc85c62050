/**
 * Read-only views over an informer's cache, the way controllers read state: all
 * objects or one namespace, filtered by a label matcher, or looked up through a
 * custom index. Label selectors are parsed elsewhere (src/api/selectors); a lister
 * takes the resulting matcher function. Returned objects are the cache's: never mutate.
 */
import type { KubeObject } from '../api/object.js';
import { NAMESPACE_INDEX, keyOf } from './indexer.js';
import type { Indexer } from './indexer.js';

/** Decides whether an object's labels match a selector. */
export type LabelMatcher = (labels: Readonly<Record<string, string>>) => boolean;

/** Matches every object (the empty selector). */
export const everything: LabelMatcher = () => true;

function matching<T extends KubeObject>(objects: T[], matcher: LabelMatcher): T[] {
  if (matcher === everything) return objects;
  return objects.filter((obj) => matcher(obj.metadata.labels ?? {}));
}

/** Lists and gets objects of one resource from a cache. */
export class Lister<T extends KubeObject> {
  readonly #indexer: Indexer<T>;

  constructor(indexer: Indexer<T>) {
    this.#indexer = indexer;
  }

  /** Every cached object whose labels match. */
  list(matcher: LabelMatcher = everything): T[] {
    return matching(this.#indexer.list(), matcher);
  }

  /** A cluster-scoped object by name, or a namespaced one by name and namespace. */
  get(name: string, namespace?: string): T | undefined {
    return this.#indexer.get(keyOf(name, namespace));
  }

  /** A view of one namespace. */
  namespace(namespace: string): NamespaceLister<T> {
    return new NamespaceLister(this.#indexer, namespace);
  }

  /** Objects with `value` in the custom index `indexName` (e.g. pods by node name), label-filtered. */
  byIndex(indexName: string, value: string, matcher: LabelMatcher = everything): T[] {
    return matching(this.#indexer.byIndex(indexName, value), matcher);
  }
}

/** Lists and gets objects of one resource in one namespace. */
export class NamespaceLister<T extends KubeObject> {
  readonly #indexer: Indexer<T>;
  readonly #namespace: string;

  constructor(indexer: Indexer<T>, namespace: string) {
    this.#indexer = indexer;
    this.#namespace = namespace;
  }

  /** Objects of this namespace whose labels match. */
  list(matcher: LabelMatcher = everything): T[] {
    return matching(this.#indexer.byIndex(NAMESPACE_INDEX, this.#namespace), matcher);
  }

  /** An object of this namespace by name. */
  get(name: string): T | undefined {
    return this.#indexer.get(keyOf(name, this.#namespace));
  }
}
