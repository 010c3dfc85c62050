/**
 * StatefulSets (apps/v1): defaults (replicas 1, OrderedReady, RollingUpdate with
 * partition 0, PVC retention Retain/Retain, revisionHistoryLimit 10), spec
 * validation, the update rule limiting which spec fields may change.
 */
import type { StatefulSet, StatefulSetSpec } from 'kubernetes-types/apps/v1.js';
import type { KubeObject } from '../../../api/object.js';
import { deepCopy } from '../../../api/object.js';
import { fieldError, type FieldError } from '../../../api/status.js';
import { isDNS1123Label } from '../../../api/validation/names.js';
import { defaultPodTemplateSpec } from '../../../api/podDefaults.js';
import { each, oneOf } from '../core/podValidation.js';
import { semanticEqual } from '../semantic.js';
import type { Strategy } from '../strategy.js';
import { statusSubresource } from '../statusSplit.js';
import {
  nonNegativeInt,
  validatePositiveIntOrPercent,
  validateReplicatedTemplate,
  validateRequiredSelector,
} from './workload.js';

const asStatefulSet = (obj: KubeObject): StatefulSet => obj as unknown as StatefulSet;

/** Applies `SetDefaults_StatefulSet` to a spec. */
export function defaultStatefulSetSpec(spec: StatefulSetSpec): void {
  spec.podManagementPolicy ||= 'OrderedReady';
  const strategy = (spec.updateStrategy ??= {});
  if (!strategy.type) {
    strategy.type = 'RollingUpdate';
    strategy.rollingUpdate ??= {};
  }
  if (strategy.type === 'RollingUpdate' && strategy.rollingUpdate) strategy.rollingUpdate.partition ??= 0;
  const retention = (spec.persistentVolumeClaimRetentionPolicy ??= {});
  retention.whenDeleted ||= 'Retain';
  retention.whenScaled ||= 'Retain';
  spec.replicas ??= 1;
  spec.revisionHistoryLimit ??= 10;
  defaultPodTemplateSpec(spec.template);
  for (const claim of spec.volumeClaimTemplates ?? []) {
    if (claim.spec && !claim.spec.volumeMode) claim.spec.volumeMode = 'Filesystem';
  }
}

function validateStatefulSetSpec(spec: StatefulSetSpec | undefined): FieldError[] {
  if (!spec) return [fieldError.required('spec')];
  const errs: FieldError[] = [];
  errs.push(...oneOf(spec.podManagementPolicy, ['OrderedReady', 'Parallel'], 'spec.podManagementPolicy'));
  const strategy = spec.updateStrategy;
  errs.push(...oneOf(strategy?.type, ['OnDelete', 'RollingUpdate'], 'spec.updateStrategy.type'));
  if (strategy?.type === 'OnDelete' && strategy.rollingUpdate) {
    errs.push(fieldError.invalid('spec.updateStrategy.rollingUpdate', strategy.rollingUpdate, "only allowed for updateStrategy 'RollingUpdate'"));
  }
  if (strategy?.rollingUpdate) {
    errs.push(...nonNegativeInt(strategy.rollingUpdate.partition, 'spec.updateStrategy.rollingUpdate.partition'));
    if (strategy.rollingUpdate.maxUnavailable !== undefined) {
      errs.push(...validatePositiveIntOrPercent(strategy.rollingUpdate.maxUnavailable, 'spec.updateStrategy.rollingUpdate.maxUnavailable'));
    }
  }
  const retention = spec.persistentVolumeClaimRetentionPolicy;
  errs.push(...oneOf(retention?.whenDeleted, ['Retain', 'Delete'], 'spec.persistentVolumeClaimRetentionPolicy.whenDeleted'));
  errs.push(...oneOf(retention?.whenScaled, ['Retain', 'Delete'], 'spec.persistentVolumeClaimRetentionPolicy.whenScaled'));
  if (spec.serviceName) errs.push(...each('spec.serviceName', spec.serviceName, isDNS1123Label(spec.serviceName)));
  errs.push(...nonNegativeInt(spec.replicas, 'spec.replicas'));
  errs.push(...nonNegativeInt(spec.minReadySeconds, 'spec.minReadySeconds'));
  if (spec.ordinals) errs.push(...nonNegativeInt(spec.ordinals.start, 'spec.ordinals.start'));
  errs.push(...validateRequiredSelector(spec.selector, 'spec.selector', 'statefulset'));
  errs.push(...validateReplicatedTemplate(spec.template, spec.selector, 'spec.template'));
  return errs;
}

/** Upstream's text for a forbidden StatefulSet spec change. */
export const STATEFULSET_UPDATE_FORBIDDEN =
  "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";

/** The statefulsets strategy. */
export const statefulSetStrategy: Strategy = {
  ...statusSubresource(),
  tracksGeneration: true,
  applyDefaults(obj) {
    const spec = asStatefulSet(obj).spec;
    if (spec) defaultStatefulSetSpec(spec);
  },
  validate(obj) {
    return validateStatefulSetSpec(asStatefulSet(obj).spec);
  },
  validateUpdate(obj, old) {
    const next = deepCopy(asStatefulSet(obj).spec ?? ({} as StatefulSetSpec));
    const prev = asStatefulSet(old).spec ?? ({} as StatefulSetSpec);
    for (const key of ['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'] as const) {
      (next as unknown as Record<string, unknown>)[key] = prev[key];
    }
    return semanticEqual(next, prev) ? [] : [fieldError.forbidden('spec', STATEFULSET_UPDATE_FORBIDDEN)];
  },
};
