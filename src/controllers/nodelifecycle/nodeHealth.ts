/**
 * What the node lifecycle controller remembers of each node's health, and how a
 * node's silence turns into Unknown conditions (upstream's tryUpdateNodeHealth):
 * the probe timestamp moves whenever the kubelet's Ready heartbeat or its Lease's
 * renewTime moves; once it is older than the grace period, the kubelet-owned
 * conditions become Unknown.
 */
import type { NodeCondition } from 'kubernetes-types/core/v1.js';
import type { LeaseObject } from '../../client/index.js';
import type { NodeObject } from './taints.js';

/** One node's remembered health. */
export interface NodeHealth {
  /** The Ready condition last seen (undefined when the node had none). */
  readyCondition: NodeCondition | undefined;
  /** When the controller last saw the node alive (ms). */
  probeTimestamp: number;
  /** When the controller last saw the Ready condition change (ms). */
  readyTransitionTimestamp: number;
  /** The Lease's renewTime last seen. */
  leaseRenewTime: string | undefined;
}

/** The grace periods a node is allowed, ms. */
export interface GracePeriods {
  /** For a node that has posted a Ready condition (upstream --node-monitor-grace-period). */
  monitorMs: number;
  /** For a node that never posted one (upstream --node-startup-grace-period). */
  startupMs: number;
}

/** The conditions the kubelet owns and the controller sets to Unknown. */
const KUBELET_CONDITIONS = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'] as const;

/** The Ready condition of `node`, if any. */
export function readyConditionOf(node: NodeObject): NodeCondition | undefined {
  return node.status?.conditions?.find((c) => c.type === 'Ready');
}

function timeMs(text: string | undefined): number {
  return text === undefined ? 0 : Date.parse(text);
}

function renewedLater(saved: string | undefined, observed: string | undefined): boolean {
  if (observed === undefined) return false;
  if (saved === undefined) return true;
  const [a, b] = [Date.parse(saved), Date.parse(observed)];
  return Number.isNaN(a) || Number.isNaN(b) ? saved !== observed : b > a;
}

/** The health of `node` after seeing it (and its Lease) at `now`, given what was remembered. */
export function observeHealth(saved: NodeHealth | undefined, node: NodeObject, lease: LeaseObject | undefined, now: number): NodeHealth {
  const current = readyConditionOf(node);
  let health: NodeHealth;
  if (current === undefined) {
    const created = timeMs(node.metadata.creationTimestamp);
    health = saved === undefined
      ? { readyCondition: undefined, probeTimestamp: created, readyTransitionTimestamp: created, leaseRenewTime: undefined }
      : { ...saved, readyCondition: undefined };
  } else if (saved === undefined || saved.readyCondition === undefined) {
    health = { readyCondition: current, probeTimestamp: now, readyTransitionTimestamp: now, leaseRenewTime: saved?.leaseRenewTime };
  } else if (saved.readyCondition.lastHeartbeatTime !== current.lastHeartbeatTime) {
    const transitioned = saved.readyCondition.lastTransitionTime !== current.lastTransitionTime;
    health = { readyCondition: current, probeTimestamp: now, readyTransitionTimestamp: transitioned ? now : saved.readyTransitionTimestamp, leaseRenewTime: saved.leaseRenewTime };
  } else {
    health = { ...saved, readyCondition: current };
  }
  const renewTime = lease?.spec?.renewTime ?? undefined;
  if (renewedLater(health.leaseRenewTime, renewTime)) health = { ...health, leaseRenewTime: renewTime, probeTimestamp: now };
  return health;
}

/** The grace period `node` is entitled to. */
export function gracePeriodOf(node: NodeObject, periods: GracePeriods): number {
  return readyConditionOf(node) === undefined ? periods.startupMs : periods.monitorMs;
}

/**
 * The conditions of a node that stopped posting status: the kubelet's four set to
 * Unknown (added as never updated when missing), others untouched; `nowTime` and
 * `createdTime` are RFC 3339 stamps.
 */
export function unknownConditions(conditions: readonly NodeCondition[] | undefined, nowTime: string, createdTime: string): NodeCondition[] {
  const result = (conditions ?? []).map((c) => ({ ...c }));
  for (const type of KUBELET_CONDITIONS) {
    const condition = result.find((c) => c.type === type);
    if (condition === undefined) {
      result.push({
        type,
        status: 'Unknown',
        reason: 'NodeStatusNeverUpdated',
        message: 'Kubelet never posted node status.',
        lastHeartbeatTime: createdTime,
        lastTransitionTime: nowTime,
      });
    } else if (condition.status !== 'Unknown') {
      condition.status = 'Unknown';
      condition.reason = 'NodeStatusUnknown';
      condition.message = 'Kubelet stopped posting node status.';
      condition.lastTransitionTime = nowTime;
    }
  }
  return result;
}
