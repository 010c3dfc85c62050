/**
 * Pods (core/v1): defaults, spec validation, the narrow set of spec changes an
 * update may make, the status split (a new pod starts Pending with its QoS
 * class), and the field selectors kubectl and the kubelet use.
 */
import type { Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../api/object.js';
import { fieldError, type FieldError } from '../../../api/status.js';
import { isValidIP } from '../../../api/validation/ip.js';
import type { Strategy } from '../strategy.js';
import { statusSubresource } from '../statusSplit.js';
import { defaultPod } from '../../../api/podDefaults.js';
import { validatePodSpecUpdate } from './podUpdate.js';
import { each, validatePodSpec } from './podValidation.js';
import { podQOSClass } from './qos.js';

const asPod = (obj: KubeObject): Pod => obj as unknown as Pod;

function initialStatus(obj: KubeObject): unknown {
  const pod = asPod(obj);
  const status: { phase: string; qosClass: string; conditions?: PodCondition[] } = {
    phase: 'Pending',
    qosClass: podQOSClass(pod),
  };
  if ((pod.spec?.schedulingGates ?? []).length > 0) {
    status.conditions = [
      {
        type: 'PodScheduled',
        status: 'False',
        reason: 'SchedulingGated',
        message: 'Scheduling is blocked due to non-empty scheduling gates',
      },
    ];
  }
  return status;
}

const split = statusSubresource({
  initialStatus,
  resetMeta: false,
  afterStatusUpdate(obj, old) {
    const pod = asPod(obj);
    const prev = asPod(old);
    const meta = obj.metadata as Record<string, unknown>;
    if (prev.metadata?.ownerReferences === undefined) delete meta.ownerReferences;
    else meta.ownerReferences = prev.metadata.ownerReferences;
    if (pod.status && prev.status?.qosClass !== undefined) {
      (pod.status as Record<string, unknown>).qosClass = prev.status.qosClass;
    }
  },
});

function validatePodStatus(pod: Pod): FieldError[] {
  const errs: FieldError[] = [];
  const phases = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'];
  const phase = pod.status?.phase;
  if (phase && !phases.includes(phase)) errs.push(fieldError.notSupported('status.phase', phase, phases));
  (pod.status?.podIPs ?? []).forEach((ip, i) => errs.push(...each(`status.podIPs[${i}].ip`, ip.ip ?? '', isValidIP(ip.ip ?? ''))));
  (pod.status?.hostIPs ?? []).forEach((ip, i) => errs.push(...each(`status.hostIPs[${i}].ip`, ip.ip ?? '', isValidIP(ip.ip ?? ''))));
  return errs;
}

/** The pods strategy. */
export const podStrategy: Strategy = {
  ...split,
  applyDefaults(obj) {
    defaultPod(asPod(obj));
  },
  validate(obj) {
    return validatePodSpec(asPod(obj).spec, 'spec', { isPod: true });
  },
  validateUpdate(obj, old) {
    const next = asPod(obj).spec;
    const prev = asPod(old).spec;
    return next && prev ? validatePodSpecUpdate(next, prev) : [];
  },
  validateStatusUpdate(obj) {
    return validatePodStatus(asPod(obj));
  },
  selectableFields: {
    'spec.nodeName': (obj) => asPod(obj).spec?.nodeName ?? '',
    'spec.restartPolicy': (obj) => asPod(obj).spec?.restartPolicy ?? '',
    'spec.schedulerName': (obj) => asPod(obj).spec?.schedulerName ?? '',
    'spec.serviceAccountName': (obj) => asPod(obj).spec?.serviceAccountName ?? '',
    'spec.hostNetwork': (obj) => String(asPod(obj).spec?.hostNetwork === true),
    'status.phase': (obj) => asPod(obj).status?.phase ?? '',
    'status.podIP': (obj) => asPod(obj).status?.podIPs?.[0]?.ip ?? asPod(obj).status?.podIP ?? '',
    'status.nominatedNodeName': (obj) => asPod(obj).status?.nominatedNodeName ?? '',
  },
};
