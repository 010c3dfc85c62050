/**
 * Mirror pods (upstream's kubelet pod mirror_client.go): the API objects standing for
 * static pods, so users see them. A mirror is a copy of the static pod carrying the
 * config.mirror annotation (the static pod's hash) and, as upstream since 1.23, a
 * controller ownerReference to this node's Node object.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import { isStatusReason } from '../../api/status.js';
import type { ResourceTarget, RestClient } from '../../client/index.js';
import type { PodObject } from '../apiObjects.js';
import { CONFIG_HASH_ANNOTATION, CONFIG_MIRROR_ANNOTATION } from './podSource.js';

const PODS = (namespace: string): ResourceTarget => ({ group: '', version: 'v1', resource: 'pods', namespace });
const NODES: ResourceTarget = { group: '', version: 'v1', resource: 'nodes' };

/** The mirror pod object for `staticPod` owned by the Node `nodeName` with uid `nodeUid`. */
export function mirrorPodFor(staticPod: Pod, nodeName: string, nodeUid: string): PodObject {
  const { uid: _uid, resourceVersion: _rv, ...metadata } = structuredClone(staticPod.metadata ?? {});
  const hash = metadata.annotations?.[CONFIG_HASH_ANNOTATION] ?? staticPod.metadata?.uid ?? '';
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...metadata,
      annotations: { ...metadata.annotations, [CONFIG_MIRROR_ANNOTATION]: hash },
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: nodeName, uid: nodeUid, controller: true }],
    },
    spec: structuredClone(staticPod.spec),
  } as PodObject;
}

/** Creates and deletes the mirror pods of one node. */
export class MirrorClient {
  readonly #client: RestClient;
  readonly #nodeName: string;

  constructor(client: RestClient, nodeName: string) {
    this.#client = client;
    this.#nodeName = nodeName;
  }

  /**
   * Creates the mirror of `staticPod`; an existing pod of that name is left alone
   * (it is either the mirror already or a pod the kubelet must not overwrite). Fails
   * while the Node object is missing or being deleted, as upstream: retried later.
   */
  async create(staticPod: Pod): Promise<void> {
    const node = await this.#client.get(NODES, this.#nodeName);
    if (node.metadata.deletionTimestamp !== undefined) throw new Error(`node ${this.#nodeName} is being deleted: no mirror pod for ${staticPod.metadata?.name}`);
    const mirror = mirrorPodFor(staticPod, this.#nodeName, node.metadata.uid ?? '');
    try {
      await this.#client.create(PODS(mirror.metadata.namespace ?? ''), mirror);
    } catch (err) {
      if (!isStatusReason(err, 'AlreadyExists')) throw err;
    }
  }

  /** Deletes mirror pod `mirror` at once (grace 0), if it is still the object with its uid. */
  async delete(mirror: Pod): Promise<void> {
    try {
      await this.#client.delete(PODS(mirror.metadata?.namespace ?? ''), mirror.metadata?.name ?? '', { gracePeriodSeconds: 0, preconditions: { uid: mirror.metadata?.uid ?? '' } });
    } catch (err) {
      if (!isStatusReason(err, 'NotFound') && !isStatusReason(err, 'Conflict')) throw err;
    }
  }
}
