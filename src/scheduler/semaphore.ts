/**
 * A counting semaphore: at most `limit` holders at once; `acquire` waits (first come,
 * first served) for a free slot.
 */

/** See the module comment. */
export class Semaphore {
  readonly #limit: number;
  #held = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** Resolves once the caller holds a slot; pair with `release`. */
  async acquire(): Promise<void> {
    if (this.#held < this.#limit) {
      this.#held += 1;
      return;
    }
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
  }

  /** Frees a slot, handing it to the next waiter if any. */
  release(): void {
    const next = this.#waiting.shift();
    if (next !== undefined) next();
    else this.#held -= 1;
  }
}
