/**
 * ReplicationControllers (core/v1): selector and object labels default from the
 * template labels, replicas 1, template defaults as pods; validation as
 * ReplicaSets but with a map selector.
 */
import type { ReplicationController } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../api/object.js';
import { fieldError } from '../../../api/status.js';
import { nonNegativeInt, validateReplicatedTemplate } from '../apps/workload.js';
import type { Strategy } from '../strategy.js';
import { statusSubresource } from '../statusSplit.js';
import { defaultPodTemplateSpec } from '../../../api/podDefaults.js';

const asRC = (obj: KubeObject): ReplicationController => obj as unknown as ReplicationController;

/** The replicationcontrollers strategy. */
export const replicationControllerStrategy: Strategy = {
  ...statusSubresource(),
  tracksGeneration: true,
  applyDefaults(obj) {
    const rc = asRC(obj);
    const spec = rc.spec;
    if (!spec) return;
    const labels = spec.template?.metadata?.labels;
    if (labels) {
      if (Object.keys(spec.selector ?? {}).length === 0) spec.selector = { ...labels };
      if (Object.keys(obj.metadata.labels ?? {}).length === 0) obj.metadata.labels = { ...labels };
    }
    spec.replicas ??= 1;
    defaultPodTemplateSpec(spec.template);
  },
  validate(obj) {
    const spec = asRC(obj).spec;
    if (!spec) return [fieldError.required('spec')];
    const selector = spec.selector ?? {};
    const errs = [...nonNegativeInt(spec.replicas, 'spec.replicas'), ...nonNegativeInt(spec.minReadySeconds, 'spec.minReadySeconds')];
    if (Object.keys(selector).length === 0) errs.push(fieldError.required('spec.selector'));
    if (!spec.template) errs.push(fieldError.required('spec.template'));
    else errs.push(...validateReplicatedTemplate(spec.template, { matchLabels: selector }, 'spec.template'));
    return errs;
  },
  selectableFields: {
    'status.replicas': (obj) => String(asRC(obj).status?.replicas ?? 0),
  },
};
