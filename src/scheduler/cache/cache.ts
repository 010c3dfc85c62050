/**
 * The scheduler cache (upstream internal/cache): a NodeInfo per node built from the
 * node and pod informers, holding every assigned pod plus the pods the scheduler
 * assumed onto a node between its bind request and the informer showing the binding.
 * `updateSnapshot` copies only the nodes that changed since the last call.
 */
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { NodeInfoImpl } from '../framework/nodeInfo.js';
import { trackedPodInfo, type TrackedPodInfo } from '../framework/podInfo.js';
import type { Snapshot } from './snapshot.js';

interface PodState {
  info: TrackedPodInfo;
  nodeName: string;
  /** Placed by the scheduler, not yet seen bound by the informer. */
  assumed: boolean;
}

/** See the module comment. */
export class SchedulerCache {
  readonly #nodes = new Map<string, NodeInfoImpl>();
  /** Names of nodes with a Node object, in the order they were added. */
  readonly #order = new Set<string>();
  readonly #pods = new Map<string, PodState>();
  readonly #dirty = new Set<string>();
  #nodeSetChanged = false;
  #imagesChanged = false;

  /** A new or changed Node. */
  setNode(node: Node): void {
    const name = node.metadata?.name ?? '';
    const info = this.#infoFor(name);
    if (!info.hasNode) {
      this.#order.add(name);
      this.#nodeSetChanged = true;
    }
    if (info.node.status?.images !== node.status?.images) this.#imagesChanged = true;
    info.setNode(node);
    this.#dirty.add(name);
  }

  /** A deleted Node (its pods stay accounted until they are deleted). */
  removeNode(name: string): void {
    const info = this.#nodes.get(name);
    if (info === undefined) return;
    info.clearNode();
    this.#order.delete(name);
    this.#nodeSetChanged = true;
    this.#imagesChanged = true;
    if (info.pods.length === 0) this.#nodes.delete(name);
    this.#dirty.add(name);
  }

  /** An assigned pod as the informer shows it (confirms an assumed pod). */
  setPod(pod: Pod): void {
    const uid = pod.metadata?.uid ?? '';
    const nodeName = pod.spec?.nodeName ?? '';
    if (uid === '' || nodeName === '') return;
    this.#drop(uid);
    this.#place(trackedPodInfo(pod), nodeName, false);
  }

  /** A deleted (or terminated) pod. */
  removePod(pod: Pod): void {
    this.#drop(pod.metadata?.uid ?? '');
  }

  /** Accounts `pod` on `nodeName` before the binding is visible; returns its info. */
  assumePod(pod: Pod, nodeName: string): TrackedPodInfo {
    const uid = pod.metadata?.uid ?? '';
    this.#drop(uid);
    const info = trackedPodInfo({ ...pod, spec: { ...pod.spec, containers: pod.spec?.containers ?? [], nodeName } });
    this.#place(info, nodeName, true);
    return info;
  }

  /** Undoes `assumePod` (binding failed); a pod the informer already showed bound stays. */
  forgetPod(pod: Pod): void {
    const uid = pod.metadata?.uid ?? '';
    if (this.#pods.get(uid)?.assumed) this.#drop(uid);
  }

  /** Whether the cache holds the pod (assumed or bound). */
  hasPod(uid: string): boolean {
    return this.#pods.has(uid);
  }

  /** Whether a Node object named `name` is known. */
  hasNode(name: string): boolean {
    return this.#order.has(name);
  }

  /** How many nodes (with Node objects) there are. */
  nodeCount(): number {
    return this.#order.size;
  }

  /** Brings `snapshot` up to date with every change since the last call. */
  updateSnapshot(snapshot: Snapshot): void {
    if (this.#dirty.size === 0) return;
    let affinityChanged = false;
    for (const name of this.#dirty) {
      const live = this.#nodes.get(name);
      const old = snapshot.infos.get(name);
      if (old !== undefined && (old.podsWithAffinity.length > 0 || old.podsWithRequiredAntiAffinity.length > 0)) affinityChanged = true;
      if (live === undefined || !live.hasNode) {
        snapshot.infos.delete(name);
        continue;
      }
      if (live.podsWithAffinity.length > 0 || live.podsWithRequiredAntiAffinity.length > 0) affinityChanged = true;
      if (old !== undefined && old.generation === live.generation && old.node === live.node) continue;
      if (this.#nodeSetChanged) snapshot.infos.set(name, live.clone());
      else snapshot.replace(live.clone());
    }
    this.#dirty.clear();
    if (this.#nodeSetChanged) {
      snapshot.relist(this.#order);
      affinityChanged = true;
    }
    if (affinityChanged) snapshot.recountAffinity();
    if (this.#nodeSetChanged || this.#imagesChanged) snapshot.recountImages();
    this.#nodeSetChanged = false;
    this.#imagesChanged = false;
  }

  #infoFor(name: string): NodeInfoImpl {
    let info = this.#nodes.get(name);
    if (info === undefined) this.#nodes.set(name, (info = new NodeInfoImpl(name)));
    return info;
  }

  #place(info: TrackedPodInfo, nodeName: string, assumed: boolean): void {
    this.#infoFor(nodeName).addPod(info);
    this.#pods.set(info.uid, { info, nodeName, assumed });
    this.#dirty.add(nodeName);
  }

  #drop(uid: string): void {
    const state = this.#pods.get(uid);
    if (state === undefined) return;
    this.#pods.delete(uid);
    const info = this.#nodes.get(state.nodeName);
    if (info === undefined) return;
    info.removePod(uid);
    this.#dirty.add(state.nodeName);
    if (!info.hasNode && info.pods.length === 0) this.#nodes.delete(state.nodeName);
  }
}
