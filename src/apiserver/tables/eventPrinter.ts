/**
 * `kubectl get events` columns: LAST SEEN TYPE REASON OBJECT MESSAGE, wide SUBOBJECT
 * SOURCE FIRST SEEN COUNT NAME. Reads both shapes of the shared event storage:
 * core/v1 (involvedObject, message, source, firstTimestamp…) and events.k8s.io/v1
 * (regarding, note, deprecatedSource, deprecatedFirstTimestamp…).
 */
import type { Event as CoreEvent } from 'kubernetes-types/core/v1.js';
import type { Event as EventsEvent } from 'kubernetes-types/events/v1.js';
import type { KubeObject } from '../../api/object.js';
import { NAME_COLUMN, column, wideColumn } from './columns.js';
import { ageSince, timestampMillis } from './humanDuration.js';
import type { Printer, TableCell } from './tableTypes.js';

/** The fields the printer reads, whichever API version the event was written in. */
interface EventView {
  name: string;
  type: string;
  reason: string;
  message: string;
  kind: string;
  objectName: string;
  fieldPath: string;
  component: string;
  host: string;
  firstTimestamp?: string;
  lastTimestamp?: string;
  eventTime?: string;
  count: number;
  series?: { count?: number; lastObservedTime?: string };
}

const firstNonEmpty = (...texts: (string | undefined)[]): string => texts.find((t) => t !== undefined && t !== '') ?? '';

function viewEvent(obj: KubeObject): EventView {
  const core = obj as unknown as CoreEvent;
  const modern = obj as unknown as EventsEvent;
  const regarding = core.involvedObject ?? modern.regarding ?? {};
  const source = core.source ?? modern.deprecatedSource ?? {};
  return {
    name: obj.metadata.name ?? '',
    type: core.type ?? '',
    reason: core.reason ?? '',
    message: core.message ?? modern.note ?? '',
    kind: regarding.kind ?? '',
    objectName: regarding.name ?? '',
    fieldPath: regarding.fieldPath ?? '',
    component: firstNonEmpty(source.component, core.reportingComponent, modern.reportingController),
    host: firstNonEmpty(source.host, core.reportingInstance, modern.reportingInstance),
    firstTimestamp: core.firstTimestamp ?? modern.deprecatedFirstTimestamp,
    lastTimestamp: core.lastTimestamp ?? modern.deprecatedLastTimestamp,
    eventTime: core.eventTime ?? modern.eventTime,
    count: core.count ?? modern.deprecatedCount ?? 0,
    series: core.series ?? modern.series,
  };
}

/** The event printer. */
export const eventPrinter: Printer = {
  columns: [
    column('Last Seen', 'string', 'When the event was most recently observed.'),
    column('Type', 'string', 'Type of the event: Normal or Warning.'),
    column('Reason', 'string', 'Why the event happened, as a short machine-readable word.'),
    column('Object', 'string', 'The object the event is about.'),
    wideColumn('Subobject', 'The part of the object the event is about, such as a container.'),
    wideColumn('Source', 'The component (and host) that reported the event.'),
    column('Message', 'string', 'A human-readable description of the event.'),
    wideColumn('First Seen', 'When the event was first observed.'),
    wideColumn('Count', 'The number of times the event has occurred.'),
    { ...NAME_COLUMN, priority: 1 },
  ],
  cells(obj, now): TableCell[] {
    const e = viewEvent(obj);
    const first =
      timestampMillis(e.firstTimestamp) !== undefined ? ageSince(e.firstTimestamp, now) : ageSince(e.eventTime, now);
    let last = timestampMillis(e.lastTimestamp) !== undefined ? ageSince(e.lastTimestamp, now) : first;
    let count = e.count;
    if (e.series !== undefined && e.series !== null) {
      last = ageSince(e.series.lastObservedTime, now);
      count = e.series.count ?? 0;
    } else if (count === 0) {
      count = 1;
    }
    const target = e.objectName !== '' ? `${e.kind.toLowerCase()}/${e.objectName}` : e.kind.toLowerCase();
    const source = e.host === '' ? e.component : `${e.component}, ${e.host}`;
    return [last, e.type, e.reason, target, e.fieldPath, source, e.message.trim(), first, count, e.name];
  },
};
