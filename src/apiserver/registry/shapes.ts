/**
 * Resources served in one shape and stored in another: events.k8s.io/v1 Events are
 * kept as core/v1 Events (one storage, two APIs, as upstream). Every other resource
 * is stored as served.
 */
import type { KubeObject } from '../../api/object.js';
import { apiVersionOf, type ResourceInfo } from '../../api/resources.js';
import { coreEventToEventsV1, eventsV1ToCoreEvent } from './events/conversion.js';

const isEventsV1 = (info: ResourceInfo): boolean => info.group === 'events.k8s.io' && info.resource === 'events';

/** A stored object in the shape `info` serves it (the same object when no conversion applies). */
export function toServedShape(info: ResourceInfo, stored: KubeObject): KubeObject {
  return isEventsV1(info) ? coreEventToEventsV1(stored) : stored;
}

/** An object sent to `info`'s endpoint in the shape it is stored in (the same object when no conversion applies). */
export function toStoredShape(info: ResourceInfo, served: KubeObject): KubeObject {
  return isEventsV1(info) ? eventsV1ToCoreEvent(served) : served;
}

/** The apiVersion objects of `info` carry in storage. */
export function storedApiVersion(info: ResourceInfo): string {
  return isEventsV1(info) ? 'v1' : apiVersionOf(info.group, info.version);
}
