/**
 * Deployments (apps/v1): defaults (replicas 1, RollingUpdate 25%/25%,
 * revisionHistoryLimit 10, progressDeadlineSeconds 600, template as pods),
 * spec validation, immutable selector, status split, generation tracking.
 */
import type { Deployment, DeploymentSpec } from 'kubernetes-types/apps/v1.js';
import type { KubeObject } from '../../../api/object.js';
import { fieldError, type FieldError } from '../../../api/status.js';
import { defaultPodTemplateSpec } from '../../../api/podDefaults.js';
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

const asDeployment = (obj: KubeObject): Deployment => obj as unknown as Deployment;

/** Applies `SetDefaults_Deployment` to a deployment spec. */
export function defaultDeploymentSpec(spec: DeploymentSpec): void {
  spec.replicas ??= 1;
  const strategy = (spec.strategy ??= {});
  strategy.type ||= 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const rolling = (strategy.rollingUpdate ??= {});
    rolling.maxUnavailable ??= '25%';
    rolling.maxSurge ??= '25%';
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  defaultPodTemplateSpec(spec.template);
}

/** Validates a deployment spec (paths start at `spec`). */
export function validateDeploymentSpec(spec: DeploymentSpec | undefined): FieldError[] {
  if (!spec) return [fieldError.required('spec')];
  const errs = [...nonNegativeInt(spec.replicas, 'spec.replicas')];
  errs.push(...validateRequiredSelector(spec.selector, 'spec.selector', 'deployment'));
  errs.push(...validateReplicatedTemplate(spec.template, spec.selector, 'spec.template'));
  const strategy = spec.strategy;
  const type = strategy?.type;
  if (!type) errs.push(fieldError.required('spec.strategy.type'));
  else if (type !== 'Recreate' && type !== 'RollingUpdate') {
    errs.push(fieldError.notSupported('spec.strategy.type', type, ['Recreate', 'RollingUpdate']));
  }
  if (type === 'Recreate' && strategy?.rollingUpdate) {
    errs.push(fieldError.forbidden('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'"));
  }
  const rolling = strategy?.rollingUpdate;
  if (type === 'RollingUpdate' && rolling) {
    const path = 'spec.strategy.rollingUpdate';
    errs.push(...validatePositiveIntOrPercent(rolling.maxUnavailable, `${path}.maxUnavailable`));
    errs.push(...validatePositiveIntOrPercent(rolling.maxSurge, `${path}.maxSurge`));
    if (intOrPercentValue(rolling.maxUnavailable) === 0 && intOrPercentValue(rolling.maxSurge) === 0) {
      errs.push(fieldError.invalid(`${path}.maxUnavailable`, rolling.maxUnavailable, 'may not be 0 when `maxSurge` is 0'));
    }
    errs.push(...notMoreThan100Percent(rolling.maxUnavailable, `${path}.maxUnavailable`));
  }
  errs.push(...nonNegativeInt(spec.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...nonNegativeInt(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  if (spec.progressDeadlineSeconds !== undefined && spec.progressDeadlineSeconds !== null) {
    errs.push(...nonNegativeInt(spec.progressDeadlineSeconds, 'spec.progressDeadlineSeconds'));
    if (spec.progressDeadlineSeconds <= (spec.minReadySeconds ?? 0)) {
      errs.push(fieldError.invalid('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
    }
  }
  return errs;
}

/** The deployments strategy. */
export const deploymentStrategy: Strategy = {
  ...statusSubresource(),
  tracksGeneration: true,
  applyDefaults(obj) {
    const deployment = asDeployment(obj);
    if (deployment.spec) defaultDeploymentSpec(deployment.spec);
  },
  validate(obj) {
    return validateDeploymentSpec(asDeployment(obj).spec);
  },
  validateUpdate(obj, old) {
    return validateSelectorImmutable(asDeployment(obj).spec?.selector, asDeployment(old).spec?.selector, 'spec.selector');
  },
};
