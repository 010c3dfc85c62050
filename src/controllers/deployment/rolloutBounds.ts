/**
 * How far a rolling update may stray from `spec.replicas`: maxSurge and
 * maxUnavailable resolved against the replica count (numbers as they are, percentages
 * rounded up for surge and down for unavailability, as upstream does), with at least
 * one pod unavailable when both come out as zero.
 */
import type { DeploymentObject } from './objects.js';
import { specReplicas } from './objects.js';

/** An IntOrString as the API carries it: a count or a `N%` percentage. */
export type IntOrPercent = number | string;

/**
 * `value` scaled against `total` (upstream `GetScaledValueFromIntOrPercent`): numbers
 * as they are, `N%` as N percent of `total` rounded up or down; throws on any other string.
 */
export function scaledValue(value: IntOrPercent | undefined, total: number, roundUp: boolean): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') return value;
  const match = /^(-?\d+)%$/.exec(value);
  if (match === null) throw new Error(`invalid value for IntOrString: invalid type: string is not a percentage`);
  const exact = (Number(match[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/** True when the deployment rolls with the RollingUpdate strategy. */
export function isRollingUpdate(deployment: DeploymentObject): boolean {
  return deployment.spec?.strategy?.type !== 'Recreate';
}

/** Upstream `ResolveFenceposts`: [surge, unavailable] for `desired` replicas, never both zero. */
export function resolveFenceposts(maxSurge: IntOrPercent | undefined, maxUnavailable: IntOrPercent | undefined, desired: number): [number, number] {
  const surge = scaledValue(maxSurge, desired, true);
  const unavailable = scaledValue(maxUnavailable, desired, false);
  return surge === 0 && unavailable === 0 ? [0, 1] : [surge, unavailable];
}

/** Upstream `MaxSurge`: pods above `spec.replicas` a rolling update may run (0 for Recreate). */
export function maxSurge(deployment: DeploymentObject): number {
  if (!isRollingUpdate(deployment)) return 0;
  const rolling = deployment.spec?.strategy?.rollingUpdate;
  return resolveFenceposts(rolling?.maxSurge, rolling?.maxUnavailable, specReplicas(deployment.spec))[0];
}

/** Upstream `MaxUnavailable`: pods below `spec.replicas` a rolling update may leave unavailable, at most all of them. */
export function maxUnavailable(deployment: DeploymentObject): number {
  const replicas = specReplicas(deployment.spec);
  if (!isRollingUpdate(deployment) || replicas === 0) return 0;
  const rolling = deployment.spec?.strategy?.rollingUpdate;
  return Math.min(resolveFenceposts(rolling?.maxSurge, rolling?.maxUnavailable, replicas)[1], replicas);
}

/** Upstream `MinAvailable`: available pods the deployment must keep. */
export function minAvailable(deployment: DeploymentObject): number {
  return specReplicas(deployment.spec) - maxUnavailable(deployment);
}
