/**
 * Nodes (core/v1): allocatable defaults to capacity; the status subresource
 * carries what kubelets report; `spec.unschedulable` is field-selectable.
 */
import type { Node } from 'kubernetes-types/core/v1.js';
import { deepCopy, type KubeObject } from '../../../api/object.js';
import type { FieldError } from '../../../api/status.js';
import { isValidCIDR } from '../../../api/validation/ip.js';
import type { Strategy } from '../strategy.js';
import { statusSubresource } from '../statusSplit.js';
import { each } from './podValidation.js';
import { defaultResourceList, validateResourceList, type ResourceList } from '../../../api/resourceLists.js';

const asNode = (obj: KubeObject): Node => obj as unknown as Node;

/** The nodes strategy. */
export const nodeStrategy: Strategy = {
  ...statusSubresource({ initialStatus: (obj) => asNode(obj).status ?? {} }),
  applyDefaults(obj) {
    const status = asNode(obj).status;
    if (!status) return;
    defaultResourceList(status.capacity as ResourceList | undefined);
    if (status.allocatable === undefined && status.capacity !== undefined) status.allocatable = deepCopy(status.capacity);
    defaultResourceList(status.allocatable as ResourceList | undefined);
  },
  validate(obj) {
    const node = asNode(obj);
    const errs: FieldError[] = [];
    (node.spec?.podCIDRs ?? []).forEach((cidr, i) => errs.push(...each(`spec.podCIDRs[${i}]`, cidr, isValidCIDR(cidr))));
    errs.push(...validateResourceList(node.status?.capacity as ResourceList | undefined, 'status.capacity'));
    errs.push(...validateResourceList(node.status?.allocatable as ResourceList | undefined, 'status.allocatable'));
    return errs;
  },
  selectableFields: {
    'spec.unschedulable': (obj) => String(asNode(obj).spec?.unschedulable === true),
  },
};
