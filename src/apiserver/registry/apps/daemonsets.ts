/**
 * DaemonSets (apps/v1): defaults (RollingUpdate maxUnavailable 1 maxSurge 0,
 * revisionHistoryLimit 10, template as pods), validation, immutable selector.
 */
import type { DaemonSet, DaemonSetSpec } from 'kubernetes-types/apps/v1.js';
import type { KubeObject } from '../../../api/object.js';
import { fieldError, type FieldError } from '../../../api/status.js';
import { defaultPodTemplateSpec } from '../../../api/podDefaults.js';
import { oneOf } from '../core/podValidation.js';
import type { Strategy } from '../strategy.js';
import { statusSubresource } from '../statusSplit.js';
import {
  intOrPercentValue,
  nonNegativeInt,
  notMoreThan100Percent,
  validatePositiveIntOrPercent,
  validateReplicatedTemplate,
  validateRequiredSelector,
  validateSelectorImmutable,
} from './workload.js';

const asDaemonSet = (obj: KubeObject): DaemonSet => obj as unknown as DaemonSet;

/** Applies `SetDefaults_DaemonSet` to a spec. */
export function defaultDaemonSetSpec(spec: DaemonSetSpec): void {
  const strategy = (spec.updateStrategy ??= {});
  strategy.type ||= 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const rolling = (strategy.rollingUpdate ??= {});
    rolling.maxUnavailable ??= 1;
    rolling.maxSurge ??= 0;
  }
  spec.revisionHistoryLimit ??= 10;
  defaultPodTemplateSpec(spec.template);
}

function validateDaemonSetSpec(spec: DaemonSetSpec | undefined): FieldError[] {
  if (!spec) return [fieldError.required('spec')];
  const errs = [
    ...validateRequiredSelector(spec.selector, 'spec.selector', 'daemonset'),
    ...validateReplicatedTemplate(spec.template, spec.selector, 'spec.template'),
    ...nonNegativeInt(spec.minReadySeconds, 'spec.minReadySeconds'),
    ...nonNegativeInt(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'),
  ];
  const strategy = spec.updateStrategy;
  errs.push(...oneOf(strategy?.type, ['OnDelete', 'RollingUpdate'], 'spec.updateStrategy.type'));
  const rolling = strategy?.rollingUpdate;
  if (strategy?.type === 'RollingUpdate' && rolling) {
    const path = 'spec.updateStrategy.rollingUpdate';
    errs.push(...validatePositiveIntOrPercent(rolling.maxUnavailable, `${path}.maxUnavailable`));
    errs.push(...validatePositiveIntOrPercent(rolling.maxSurge, `${path}.maxSurge`));
    const unavailable = intOrPercentValue(rolling.maxUnavailable);
    const surge = intOrPercentValue(rolling.maxSurge);
    if (unavailable === 0 && surge === 0) {
      errs.push(fieldError.invalid(`${path}.maxUnavailable`, rolling.maxUnavailable, 'may not be 0 when `maxSurge` is 0'));
    }
    if (unavailable !== undefined && unavailable !== 0 && surge !== undefined && surge !== 0) {
      errs.push(fieldError.invalid(`${path}.maxSurge`, rolling.maxSurge, 'may not be set when maxUnavailable is non-zero'));
    }
    errs.push(...notMoreThan100Percent(rolling.maxUnavailable, `${path}.maxUnavailable`));
    errs.push(...notMoreThan100Percent(rolling.maxSurge, `${path}.maxSurge`));
  }
  return errs;
}

/** The daemonsets strategy. */
export const daemonSetStrategy: Strategy = {
  ...statusSubresource(),
  tracksGeneration: true,
  applyDefaults(obj) {
    const spec = asDaemonSet(obj).spec;
    if (spec) defaultDaemonSetSpec(spec);
  },
  validate(obj) {
    return validateDaemonSetSpec(asDaemonSet(obj).spec);
  },
  validateUpdate(obj, old) {
    return validateSelectorImmutable(asDaemonSet(obj).spec?.selector, asDaemonSet(old).spec?.selector, 'spec.selector');
  },
};
