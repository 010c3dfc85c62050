/**
 * A binary heap of items with string keys: push, pop the least, update or remove by
 * key, all in O(log n). The scheduling queue's activeQ and backoffQ.
 */

/** See the module comment; `less(a, b)` true means `a` comes out first. */
export class KeyedHeap<T> {
  readonly #items: T[] = [];
  readonly #positions = new Map<string, number>();
  readonly #keyOf: (item: T) => string;
  readonly #less: (a: T, b: T) => boolean;

  constructor(keyOf: (item: T) => string, less: (a: T, b: T) => boolean) {
    this.#keyOf = keyOf;
    this.#less = less;
  }

  get size(): number {
    return this.#items.length;
  }

  has(key: string): boolean {
    return this.#positions.has(key);
  }

  get(key: string): T | undefined {
    const at = this.#positions.get(key);
    return at === undefined ? undefined : this.#items[at];
  }

  /** The least item, left in place. */
  peek(): T | undefined {
    return this.#items[0];
  }

  /** Adds `item`, or replaces the item with the same key and restores the order. */
  push(item: T): void {
    const key = this.#keyOf(item);
    const at = this.#positions.get(key);
    if (at !== undefined) {
      this.#items[at] = item;
      this.#fix(at);
      return;
    }
    this.#items.push(item);
    this.#positions.set(key, this.#items.length - 1);
    this.#up(this.#items.length - 1);
  }

  /** Removes and returns the least item. */
  pop(): T | undefined {
    const first = this.#items[0];
    if (first === undefined) return undefined;
    this.#removeAt(0);
    return first;
  }

  /** Removes the item with `key`; returns it, or undefined when absent. */
  remove(key: string): T | undefined {
    const at = this.#positions.get(key);
    if (at === undefined) return undefined;
    const item = this.#items[at] as T;
    this.#removeAt(at);
    return item;
  }

  /** Every item, in no particular order. */
  values(): readonly T[] {
    return this.#items;
  }

  #removeAt(at: number): void {
    const last = this.#items.pop() as T;
    this.#positions.delete(this.#keyOf(this.#items[at] ?? last));
    if (at < this.#items.length) {
      this.#items[at] = last;
      this.#positions.set(this.#keyOf(last), at);
      this.#fix(at);
    }
  }

  #fix(at: number): void {
    if (!this.#up(at)) this.#down(at);
  }

  #swap(i: number, j: number): void {
    const a = this.#items[i] as T;
    const b = this.#items[j] as T;
    this.#items[i] = b;
    this.#items[j] = a;
    this.#positions.set(this.#keyOf(b), i);
    this.#positions.set(this.#keyOf(a), j);
  }

  #up(start: number): boolean {
    let at = start;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (!this.#less(this.#items[at] as T, this.#items[parent] as T)) break;
      this.#swap(at, parent);
      at = parent;
    }
    return at !== start;
  }

  #down(start: number): void {
    let at = start;
    const n = this.#items.length;
    while (true) {
      const left = 2 * at + 1;
      if (left >= n) return;
      const right = left + 1;
      const child = right < n && this.#less(this.#items[right] as T, this.#items[left] as T) ? right : left;
      if (!this.#less(this.#items[child] as T, this.#items[at] as T)) return;
      this.#swap(at, child);
      at = child;
    }
  }
}
