/**
 * ReplicaSets (apps/v1): replicas default 1, template defaults as pods,
 * selector and template validation, immutable selector, status split.
 */
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { KubeObject } from '../../../api/object.js';
import { fieldError } from '../../../api/status.js';
import { defaultPodTemplateSpec } from '../../../api/podDefaults.js';
import type { Strategy } from '../strategy.js';
import { statusSubresource } from '../statusSplit.js';
import { nonNegativeInt, validateReplicatedTemplate, validateRequiredSelector, validateSelectorImmutable } from './workload.js';

const asReplicaSet = (obj: KubeObject): ReplicaSet => obj as unknown as ReplicaSet;

/** The replicasets strategy. */
export const replicaSetStrategy: Strategy = {
  ...statusSubresource(),
  tracksGeneration: true,
  applyDefaults(obj) {
    const spec = asReplicaSet(obj).spec;
    if (!spec) return;
    spec.replicas ??= 1;
    defaultPodTemplateSpec(spec.template);
  },
  validate(obj) {
    const spec = asReplicaSet(obj).spec;
    if (!spec) return [fieldError.required('spec')];
    return [
      ...nonNegativeInt(spec.replicas, 'spec.replicas'),
      ...nonNegativeInt(spec.minReadySeconds, 'spec.minReadySeconds'),
      ...validateRequiredSelector(spec.selector, 'spec.selector', 'deployment'),
      ...validateReplicatedTemplate(spec.template, spec.selector, 'spec.template'),
    ];
  },
  validateUpdate(obj, old) {
    return validateSelectorImmutable(asReplicaSet(obj).spec?.selector, asReplicaSet(old).spec?.selector, 'spec.selector');
  },
  selectableFields: {
    'status.replicas': (obj) => String(asReplicaSet(obj).status?.replicas ?? 0),
  },
};
