/**
 * The node heartbeat: a coordination.k8s.io/v1 Lease named after the node in
 * kube-node-lease, held by the node, renewed every quarter of its duration (10 s of
 * 40 s by default) and owned by the Node object so it goes away with it.
 */
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import { isStatusReason } from '../../api/status.js';
import { formatMicroTime, type Clock, type LeaseObject, type ResourceTarget, type RestClient } from '../../client/index.js';

/** Where node leases live. */
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';

/** Upstream's default node lease duration. */
export const DEFAULT_NODE_LEASE_SECONDS = 40;

/** The fraction of the lease duration between renewals. */
const RENEW_FRACTION = 0.25;

/** What the heartbeat needs. */
export interface NodeLeaseOptions {
  client: RestClient;
  clock: Clock;
  nodeName: string;
  leaseDurationSeconds?: number;
  /** The registered Node's uid, once known (for the owner reference). */
  nodeUID: () => string | undefined;
}

/** Renews one node's Lease; `renew` is one heartbeat. */
export class NodeLease {
  readonly #options: NodeLeaseOptions;
  readonly #target: ResourceTarget;
  readonly #durationSeconds: number;
  /** The Lease as last written, so a renewal needs no read. */
  #latest: LeaseObject | undefined;

  constructor(options: NodeLeaseOptions) {
    this.#options = options;
    this.#durationSeconds = options.leaseDurationSeconds ?? DEFAULT_NODE_LEASE_SECONDS;
    this.#target = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases', namespace: NODE_LEASE_NAMESPACE };
  }

  /** Milliseconds between renewals. */
  get renewIntervalMs(): number {
    return this.#durationSeconds * 1000 * RENEW_FRACTION;
  }

  /** Creates the Lease or renews it; throws the API error when that failed (the next call reads afresh). */
  async renew(signal?: AbortSignal): Promise<LeaseObject> {
    try {
      const current = this.#latest ?? (await this.#read(signal));
      this.#latest = current === undefined
        ? await this.#options.client.create<LeaseObject>(this.#target, this.#fresh(), { signal })
        : await this.#options.client.update<LeaseObject>(this.#target, this.#renewed(current), { signal });
      return this.#latest;
    } catch (err) {
      this.#latest = undefined;
      throw err;
    }
  }

  async #read(signal?: AbortSignal): Promise<LeaseObject | undefined> {
    try {
      return await this.#options.client.get<LeaseObject>(this.#target, this.#options.nodeName, { signal });
    } catch (err) {
      if (isStatusReason(err, 'NotFound')) return undefined;
      throw err;
    }
  }

  #ownerReferences(): OwnerReference[] | undefined {
    const uid = this.#options.nodeUID();
    if (uid === undefined) return undefined;
    return [{ apiVersion: 'v1', kind: 'Node', name: this.#options.nodeName, uid }];
  }

  #fresh(): LeaseObject {
    const owners = this.#ownerReferences();
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: this.#options.nodeName, namespace: NODE_LEASE_NAMESPACE, ...(owners ? { ownerReferences: owners } : {}) },
      spec: {
        holderIdentity: this.#options.nodeName,
        leaseDurationSeconds: this.#durationSeconds,
        renewTime: formatMicroTime(this.#options.clock.now()),
      },
    };
  }

  #renewed(lease: LeaseObject): LeaseObject {
    const owners = this.#ownerReferences();
    const metadata = { ...lease.metadata };
    const ownedByUs = (metadata.ownerReferences ?? []).some((ref) => ref.kind === 'Node' && ref.uid === owners?.[0]?.uid);
    if (owners !== undefined && !ownedByUs) metadata.ownerReferences = owners;
    return {
      ...lease,
      metadata,
      spec: {
        ...lease.spec,
        holderIdentity: this.#options.nodeName,
        leaseDurationSeconds: this.#durationSeconds,
        renewTime: formatMicroTime(this.#options.clock.now()),
      },
    };
  }
}
