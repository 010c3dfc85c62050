/**
 * PodDisruptionBudgets (policy/v1): minAvailable and maxUnavailable are
 * exclusive int-or-percent values; selector valid; status split and generation
 * tracking (the disruption controller reports observedGeneration).
 */
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import type { KubeObject } from '../../../api/object.js';
import { fieldError, type FieldError } from '../../../api/status.js';
import { validateLabelSelector } from '../../../api/validation/labels.js';
import { notMoreThan100Percent, validatePositiveIntOrPercent } from '../apps/workload.js';
import { oneOf } from '../core/podValidation.js';
import type { Strategy } from '../strategy.js';
import { statusSubresource } from '../statusSplit.js';

const asPDB = (obj: KubeObject): PodDisruptionBudget => obj as unknown as PodDisruptionBudget;

/** The poddisruptionbudgets strategy. */
export const podDisruptionBudgetStrategy: Strategy = {
  ...statusSubresource({
    initialStatus: () => ({ currentHealthy: 0, desiredHealthy: 0, disruptionsAllowed: 0, expectedPods: 0 }),
  }),
  tracksGeneration: true,
  validate(obj) {
    const spec = asPDB(obj).spec ?? {};
    const errs: FieldError[] = [];
    if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) {
      errs.push(fieldError.invalid('spec', spec, 'minAvailable and maxUnavailable cannot be both set'));
    }
    if (spec.minAvailable !== undefined) {
      errs.push(...validatePositiveIntOrPercent(spec.minAvailable, 'spec.minAvailable'));
      errs.push(...notMoreThan100Percent(spec.minAvailable, 'spec.minAvailable'));
    }
    if (spec.maxUnavailable !== undefined) {
      errs.push(...validatePositiveIntOrPercent(spec.maxUnavailable, 'spec.maxUnavailable'));
      errs.push(...notMoreThan100Percent(spec.maxUnavailable, 'spec.maxUnavailable'));
    }
    errs.push(...validateLabelSelector(spec.selector, 'spec.selector'));
    errs.push(...oneOf(spec.unhealthyPodEvictionPolicy, ['AlwaysAllow', 'IfHealthyBudget'], 'spec.unhealthyPodEvictionPolicy', false));
    return errs;
  },
};
