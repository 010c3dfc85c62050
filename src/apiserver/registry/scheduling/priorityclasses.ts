/**
 * PriorityClasses (scheduling.k8s.io/v1): preemptionPolicy defaults to
 * PreemptLowerPriority; value and preemptionPolicy are immutable; the
 * `system-` prefix is reserved.
 */
import type { PriorityClass } from 'kubernetes-types/scheduling/v1.js';
import type { KubeObject } from '../../../api/object.js';
import { fieldError, type FieldError } from '../../../api/status.js';
import { oneOf } from '../core/podValidation.js';
import { validateImmutableField } from '../objectMeta.js';
import type { Strategy } from '../strategy.js';

const asClass = (obj: KubeObject): PriorityClass => obj as unknown as PriorityClass;

/** Upstream's largest priority a user-defined class may have. */
export const HIGHEST_USER_DEFINABLE_PRIORITY = 1000000000;

const SYSTEM_CLASSES: Readonly<Record<string, number>> = {
  'system-cluster-critical': 2000000000,
  'system-node-critical': 2000001000,
};

/** The priorityclasses strategy. */
export const priorityClassStrategy: Strategy = {
  applyDefaults(obj) {
    const pc = obj as { preemptionPolicy?: string };
    pc.preemptionPolicy ||= 'PreemptLowerPriority';
  },
  validate(obj) {
    const pc = asClass(obj);
    const name = pc.metadata?.name ?? '';
    const errs: FieldError[] = [];
    const system = SYSTEM_CLASSES[name];
    if (system !== undefined) {
      if (pc.value !== system) errs.push(fieldError.forbidden('metadata.name', `${name} is a reserved system priority class name`));
    } else if (name.startsWith('system-')) {
      errs.push(fieldError.forbidden('metadata.name', "priority class names with 'system-' prefix are reserved"));
    } else if (pc.value > HIGHEST_USER_DEFINABLE_PRIORITY) {
      errs.push(fieldError.forbidden('value', `maximum allowed value of a user defined priority is ${HIGHEST_USER_DEFINABLE_PRIORITY}`));
    }
    errs.push(...oneOf(pc.preemptionPolicy, ['Never', 'PreemptLowerPriority'], 'preemptionPolicy'));
    return errs;
  },
  validateUpdate(obj, old) {
    return [
      ...validateImmutableField(asClass(obj).value, asClass(old).value, 'value'),
      ...validateImmutableField(asClass(obj).preemptionPolicy, asClass(old).preemptionPolicy, 'preemptionPolicy'),
    ];
  },
};
