/**
 * Upstream `matchPodFailurePolicy`: the first rule of a Job's podFailurePolicy that
 * a failed pod matches decides what its failure means: FailJob (with the upstream
 * message), FailIndex, Ignore (not counted towards backoffLimit) or Count.
 */
import type { ContainerStatus } from 'kubernetes-types/core/v1.js';
import type { PodFailurePolicy, PodFailurePolicyOnExitCodesRequirement } from 'kubernetes-types/batch/v1.js';
import type { PodObject } from './jobPods.js';

/** A pod failure policy action. */
export type PolicyAction = 'FailJob' | 'FailIndex' | 'Ignore' | 'Count';

/** What a failed pod's match against the policy means. */
export interface PolicyMatch {
  /** The action of the matching rule (undefined: no rule matched). */
  action?: PolicyAction;
  /** Whether the failure counts towards backoffLimit (false only for Ignore). */
  counts: boolean;
  /** The Job failure message, for a FailJob match. */
  failJobMessage?: string;
}

function exitCodeMatches(code: number, requirement: PodFailurePolicyOnExitCodesRequirement): boolean {
  const listed = requirement.values.includes(code);
  if (requirement.operator === 'In') return listed;
  if (requirement.operator === 'NotIn') return !listed;
  return false;
}

function matchingContainer(pod: PodObject, requirement: PodFailurePolicyOnExitCodesRequirement): ContainerStatus | undefined {
  const lists = [pod.status?.containerStatuses ?? [], pod.status?.initContainerStatuses ?? []];
  for (const statuses of lists) {
    const found = statuses.find((status) => {
      const code = status.state?.terminated?.exitCode;
      if (code === undefined || code === 0) return false;
      if (requirement.containerName !== undefined && requirement.containerName !== status.name) return false;
      return exitCodeMatches(code, requirement);
    });
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Matches the failed `pod` against `policy` (absent policy: counted, no action). */
export function matchPodFailurePolicy(policy: PodFailurePolicy | undefined, pod: PodObject): PolicyMatch {
  if (policy === undefined) return { counts: true };
  const where = `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
  for (const [index, rule] of policy.rules.entries()) {
    const action = rule.action as PolicyAction;
    let failJobMessage: string | undefined;
    if (rule.onExitCodes !== undefined) {
      const container = matchingContainer(pod, rule.onExitCodes);
      if (container === undefined) continue;
      failJobMessage = `Container ${container.name} for pod ${where} failed with exit code ${container.state?.terminated?.exitCode ?? 0} matching ${action} rule at index ${index}`;
    } else if (rule.onPodConditions !== undefined) {
      const condition = pod.status?.conditions?.find((c) => rule.onPodConditions?.some((p) => p.type === c.type && (p.status ?? 'True') === c.status));
      if (condition === undefined) continue;
      failJobMessage = `Pod ${where} has condition ${condition.type} matching ${action} rule at index ${index}`;
    } else {
      continue;
    }
    if (action === 'FailJob') return { action, counts: true, failJobMessage };
    return { action, counts: action !== 'Ignore' };
  }
  return { counts: true };
}
