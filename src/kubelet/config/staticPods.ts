/**
 * The kubelet's static pods and their mirror pods (the static half of upstream's pod
 * manager plus the mirror handling of its syncPod and pod cleanup): the current
 * static pods by uid, the mirror pods the API holds on this node by full name, and
 * keeping the API's mirrors in step — one current mirror per static pod (an outdated
 * or deleting one is replaced) and none for a static pod that is gone. As upstream,
 * a static pod waits to start until the removed ones of its full name have stopped.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { MirrorClient } from './mirrorClient.js';
import { isMirrorPodOf, podFullName } from './podSource.js';

/** Static pods and mirror pods of one kubelet. */
export class StaticPodSet {
  readonly #mirrorClient: MirrorClient;
  readonly #pods = new Map<string, Pod>();
  readonly #mirrors = new Map<string, Pod>();
  /** Removed static pods not yet stopped: their full names by uid. */
  readonly #stopping = new Map<string, string>();

  constructor(mirrorClient: MirrorClient) {
    this.#mirrorClient = mirrorClient;
  }

  /** The static pod with uid `uid`, if it is one. */
  get(uid: string): Pod | undefined {
    return this.#pods.get(uid);
  }

  /** The uids of the static pods. */
  uids(): string[] {
    return [...this.#pods.keys()];
  }

  /** Makes `pods` the static pods; returns the uids added and removed (removed ones count as stopping). */
  replace(pods: readonly Pod[]): { added: string[]; removed: string[] } {
    const next = new Map(pods.map((pod) => [pod.metadata?.uid ?? '', pod]));
    const added = [...next.keys()].filter((uid) => !this.#pods.has(uid));
    const removed = [...this.#pods.keys()].filter((uid) => !next.has(uid));
    for (const uid of removed) this.#stopping.set(uid, podFullName(this.#pods.get(uid)!));
    this.#pods.clear();
    for (const [uid, pod] of next) this.#pods.set(uid, pod);
    return { added, removed };
  }

  /** Whether `uid` is a removed static pod that has not stopped yet. */
  isStopping(uid: string): boolean {
    return this.#stopping.has(uid);
  }

  /** Whether static pod `pod` may start: no removed static pod of its full name is still stopping. */
  mayStart(pod: Pod): boolean {
    const name = podFullName(pod);
    return ![...this.#stopping.values()].includes(name);
  }

  /** Records that removed static pod `uid` has stopped; returns the uids of the static pods of its name (free to start now). */
  markStopped(uid: string): string[] {
    const name = this.#stopping.get(uid);
    this.#stopping.delete(uid);
    return name === undefined ? [] : this.#ownersByName(name);
  }

  /** Records mirror pod `mirror` as the API holds it; returns the uids of the static pods of its name. */
  observeMirror(mirror: Pod): string[] {
    this.#mirrors.set(podFullName(mirror), mirror);
    return this.#ownersByName(podFullName(mirror));
  }

  /** Forgets mirror pod `mirror`, deleted from the API; returns the uids of the static pods of its name. */
  forgetMirror(mirror: Pod): string[] {
    const name = podFullName(mirror);
    if (this.#mirrors.get(name)?.metadata?.uid === mirror.metadata?.uid) this.#mirrors.delete(name);
    return this.#ownersByName(name);
  }

  /**
   * Brings the API's mirror of static pod `pod` up to date: deletes one that is being
   * deleted or mirrors an older version, creates one when there is none. Returns the
   * current mirror (to write the status to), undefined while it is being made.
   */
  async syncMirror(pod: Pod): Promise<Pod | undefined> {
    const name = podFullName(pod);
    const mirror = this.#mirrors.get(name);
    if (mirror !== undefined && mirror.metadata?.deletionTimestamp === undefined && isMirrorPodOf(mirror, pod)) return mirror;
    if (mirror !== undefined) {
      await this.#mirrorClient.delete(mirror);
      if (this.#mirrors.get(name) === mirror) this.#mirrors.delete(name);
    }
    await this.#mirrorClient.create(pod);
    return undefined;
  }

  /** Deletes the mirror pods whose static pod is gone. */
  async deleteOrphanedMirrors(): Promise<void> {
    const names = new Set([...this.#pods.values()].map(podFullName));
    for (const [name, mirror] of [...this.#mirrors]) {
      if (names.has(name)) continue;
      await this.#mirrorClient.delete(mirror);
      if (this.#mirrors.get(name) === mirror) this.#mirrors.delete(name);
    }
  }

  #ownersByName(name: string): string[] {
    return [...this.#pods].filter(([, pod]) => podFullName(pod) === name).map(([uid]) => uid);
  }
}
