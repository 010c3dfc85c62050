/**
 * Upstream `matchSuccessPolicy` for Indexed Jobs: the first rule whose
 * succeededIndexes (all of them, or succeededCount of them) or bare succeededCount is
 * met makes the Job SuccessCriteriaMet with reason SuccessPolicy.
 */
import type { SuccessPolicy } from 'kubernetes-types/batch/v1.js';
import { hasIndex, parseIntervals, totalOf, type Intervals } from './intervals.js';

/** The upstream condition message of a matched rule, or undefined when none matches. */
export function matchSuccessPolicy(policy: SuccessPolicy | undefined, completions: number, succeeded: Intervals): string | undefined {
  for (const [index, rule] of (policy?.rules ?? []).entries()) {
    if (rule.succeededIndexes !== undefined) {
      const wanted = parseIntervals(rule.succeededIndexes, completions);
      let done = 0;
      for (const interval of wanted) for (let i = interval.first; i <= interval.last; i++) if (hasIndex(succeeded, i)) done++;
      const needed = rule.succeededCount ?? totalOf(wanted);
      if (done >= needed) return `Matched rules at index ${index}`;
    } else if (rule.succeededCount !== undefined && totalOf(succeeded) >= rule.succeededCount) {
      return `Matched rules at index ${index}`;
    }
  }
  return undefined;
}
