/**
 * core/v1 Events and events.k8s.io/v1 Events are one stored type in two shapes.
 * The store keeps the core/v1 shape; these functions convert between them with
 * upstream's field mapping (message↔note, involvedObject↔regarding,
 * reportingComponent↔reportingController, source↔deprecatedSource,
 * first/lastTimestamp↔deprecatedFirst/LastTimestamp, count↔deprecatedCount).
 */
import { deepCopy, type KubeObject } from '../../../api/object.js';

/** Pairs of (core/v1 field, events.k8s.io/v1 field) that carry the same value. */
const FIELD_PAIRS: ReadonlyArray<readonly [string, string]> = [
  ['involvedObject', 'regarding'],
  ['message', 'note'],
  ['reportingComponent', 'reportingController'],
  ['source', 'deprecatedSource'],
  ['firstTimestamp', 'deprecatedFirstTimestamp'],
  ['lastTimestamp', 'deprecatedLastTimestamp'],
  ['count', 'deprecatedCount'],
];

/** Fields with the same name and meaning in both shapes. */
const SHARED_FIELDS = ['metadata', 'eventTime', 'series', 'type', 'reason', 'action', 'related', 'reportingInstance'];

function convert(obj: KubeObject, apiVersion: string, from: 0 | 1): KubeObject {
  const out: KubeObject = { apiVersion, kind: 'Event', metadata: deepCopy(obj.metadata) };
  for (const field of SHARED_FIELDS) {
    if (field !== 'metadata' && obj[field] !== undefined) out[field] = deepCopy(obj[field]);
  }
  for (const pair of FIELD_PAIRS) {
    const source = pair[from];
    const target = pair[from === 0 ? 1 : 0];
    if (obj[source] !== undefined) out[target] = deepCopy(obj[source]);
  }
  return out;
}

/** A core/v1 Event in events.k8s.io/v1 shape (a new object; the input is untouched). */
export function coreEventToEventsV1(obj: KubeObject): KubeObject {
  return convert(obj, 'events.k8s.io/v1', 0);
}

/** An events.k8s.io/v1 Event in core/v1 shape (a new object; the input is untouched). */
export function eventsV1ToCoreEvent(obj: KubeObject): KubeObject {
  return convert(obj, 'v1', 1);
}
