/**
 * Events (core/v1 shape; events.k8s.io/v1 objects are converted to it before
 * storage): type Normal/Warning, the involved object's namespace must be the
 * event's, and the field selectors kubectl uses (`involvedObject.name`, …).
 */
import type { Event } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../api/object.js';
import { fieldError, type FieldError } from '../../../api/status.js';
import type { Strategy } from '../strategy.js';

const asEvent = (obj: KubeObject): Event => obj as unknown as Event;

function validateEvent(event: Event): FieldError[] {
  const errs: FieldError[] = [];
  const involvedNamespace = event.involvedObject?.namespace;
  if (involvedNamespace && event.metadata?.namespace && involvedNamespace !== event.metadata.namespace) {
    errs.push(fieldError.invalid('involvedObject.namespace', involvedNamespace, 'does not match event.namespace'));
  }
  if (event.type && event.type !== 'Normal' && event.type !== 'Warning') {
    errs.push(fieldError.invalid('type', event.type, 'has invalid value: ' + event.type));
  }
  if (event.eventTime) {
    if (!event.reportingComponent) errs.push(fieldError.required('reportingController', ''));
    if (!event.reportingInstance) errs.push(fieldError.required('reportingInstance', ''));
    if (!event.action) errs.push(fieldError.required('action', ''));
    if (!event.reason) errs.push(fieldError.required('reason', ''));
  }
  if ((event.message ?? '').length > 1024 * 1024) errs.push(fieldError.tooLong('message', 1024 * 1024));
  return errs;
}

/** The events strategy. */
export const eventStrategy: Strategy = {
  validate(obj) {
    return validateEvent(asEvent(obj));
  },
  selectableFields: {
    'involvedObject.kind': (obj) => asEvent(obj).involvedObject?.kind ?? '',
    'involvedObject.namespace': (obj) => asEvent(obj).involvedObject?.namespace ?? '',
    'involvedObject.name': (obj) => asEvent(obj).involvedObject?.name ?? '',
    'involvedObject.uid': (obj) => asEvent(obj).involvedObject?.uid ?? '',
    'involvedObject.apiVersion': (obj) => asEvent(obj).involvedObject?.apiVersion ?? '',
    'involvedObject.resourceVersion': (obj) => asEvent(obj).involvedObject?.resourceVersion ?? '',
    'involvedObject.fieldPath': (obj) => asEvent(obj).involvedObject?.fieldPath ?? '',
    reason: (obj) => asEvent(obj).reason ?? '',
    reportingComponent: (obj) => asEvent(obj).reportingComponent ?? '',
    source: (obj) => asEvent(obj).source?.component ?? asEvent(obj).reportingComponent ?? '',
    type: (obj) => asEvent(obj).type ?? '',
  },
};
