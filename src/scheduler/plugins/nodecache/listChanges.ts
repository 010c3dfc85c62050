/**
 * Which positions of a node list changed between scheduling cycles, found by one scan
 * per cycle however many caches ask (the scheduler hands the same list array to every
 * plugin, replacing changed NodeInfos in place). A position changed when it holds
 * another NodeInfo object, or the same one with another Node object, pods array or pod
 * count. Changes go to a bounded log that caches read from their last position.
 */
import type { Node } from 'kubernetes-types/core/v1.js';
import type { NodeInfo, PodInfo } from '../../framework/interface.js';

const LOG_LIMIT = 8192;

/** See the module comment. */
export class ListChanges {
  readonly #list: readonly NodeInfo[];
  readonly #length: number;
  readonly #infos: NodeInfo[];
  readonly #nodes: Node[];
  readonly #pods: (readonly PodInfo[])[];
  readonly #podCounts: number[];
  /** Changed positions; `#log[i]` is change number `#logStart + i`. */
  #log: number[] = [];
  #logStart = 0;
  #lastToken: object | undefined;

  constructor(list: readonly NodeInfo[]) {
    this.#list = list;
    this.#length = list.length;
    this.#infos = [...list];
    this.#nodes = list.map((info) => info.node);
    this.#pods = list.map((info) => info.pods);
    this.#podCounts = list.map((info) => info.pods.length);
  }

  /** Whether this tracker still describes `list` (same array, same length). */
  describes(list: readonly NodeInfo[]): boolean {
    return list === this.#list && list.length === this.#length;
  }

  /** The number of changes logged so far (a cache's position in the log). */
  get end(): number {
    return this.#logStart + this.#log.length;
  }

  /** Scans the list for changes, once per `token` (the cycle); without a token, every time. */
  observe(token: object | undefined): void {
    if (token !== undefined && token === this.#lastToken) return;
    this.#lastToken = token;
    const list = this.#list;
    for (let i = 0; i < this.#length; i++) {
      const info = list[i] as NodeInfo;
      if (info === this.#infos[i] && info.node === this.#nodes[i] && info.pods === this.#pods[i] && info.pods.length === this.#podCounts[i]) continue;
      this.#infos[i] = info;
      this.#nodes[i] = info.node;
      this.#pods[i] = info.pods;
      this.#podCounts[i] = info.pods.length;
      this.#log.push(i);
    }
    if (this.#log.length > LOG_LIMIT) {
      const drop = this.#log.length - LOG_LIMIT / 2;
      this.#log = this.#log.slice(drop);
      this.#logStart += drop;
    }
  }

  /** The positions changed since change number `from`; undefined when the log no longer reaches back that far. */
  since(from: number): readonly number[] | undefined {
    if (from < this.#logStart) return undefined;
    return this.#log.slice(from - this.#logStart);
  }
}

const trackers = new WeakMap<readonly NodeInfo[], ListChanges>();

/** The shared tracker of `list` (a new one when the list array or its length changed). */
export function changesOf(list: readonly NodeInfo[]): ListChanges {
  let tracker = trackers.get(list);
  if (tracker === undefined || !tracker.describes(list)) {
    tracker = new ListChanges(list);
    trackers.set(list, tracker);
  }
  return tracker;
}
