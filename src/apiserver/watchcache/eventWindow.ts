/**
 * A bounded window of the most recent events of one resource, in revision order,
 * answering "every event after revision R" while R is still inside the window.
 */
import type { StoreEvent } from '../../storage/store.js';

/** A ring of the last `capacity` events. */
export class EventWindow {
  private readonly capacity: number;
  private events: StoreEvent[] = [];
  private start = 0;
  /** Revision before the first event the window covers (events after it are all present). */
  private baseRevision = 0;

  constructor(capacity: number) {
    this.capacity = Math.max(1, capacity);
  }

  /** Empties the window; it covers history after `revision` from now on. */
  reset(revision: number): void {
    this.events = [];
    this.start = 0;
    this.baseRevision = revision;
  }

  /** Appends an event, evicting the oldest one when full. */
  push(event: StoreEvent): void {
    if (this.events.length - this.start >= this.capacity) {
      const evicted = this.events[this.start];
      if (evicted !== undefined) this.baseRevision = evicted.revision;
      this.start++;
      if (this.start > this.capacity) {
        this.events = this.events.slice(this.start);
        this.start = 0;
      }
    }
    this.events.push(event);
  }

  /** Every event with revision > `revision`, or undefined if some of them were evicted. */
  since(revision: number): StoreEvent[] | undefined {
    if (revision < this.baseRevision) return undefined;
    const out: StoreEvent[] = [];
    for (let i = this.start; i < this.events.length; i++) {
      const event = this.events[i];
      if (event !== undefined && event.revision > revision) out.push(event);
    }
    return out;
  }

  /** The oldest revision a watch may start after (for the 410 message). */
  oldestRevision(current: number): number {
    return Math.min(this.baseRevision, current);
  }
}
