/**
 * Server-side printing: turns objects of one resource into the `meta.k8s.io/v1`
 * Table that `kubectl get` renders (Accept `application/json;as=Table;v=v1;g=meta.k8s.io`).
 * Like upstream's apiserver, wide (priority 1) columns are included by default;
 * kubectl hides them unless `-o wide`.
 */
import type { KubeObject } from '../../api/object.js';
import type { ResourceInfo } from '../../api/resources.js';
import { printerFor } from './printers.js';
import type { Table, TableListMeta, TableRow } from './tableTypes.js';

export type {
  Printer,
  Table,
  TableCell,
  TableColumnDefinition,
  TableListMeta,
  TableRow,
  TableRowCondition,
} from './tableTypes.js';

/** What each row carries besides its cells (the `includeObject` query parameter). */
export type IncludeObject = 'None' | 'Metadata' | 'Object';

/** Options of `toTable`. */
export interface TableOptions {
  /** Include priority > 0 columns (default true, as upstream's server always does). */
  wide?: boolean;
  /** `Metadata` puts a PartialObjectMetadata in each row, `Object` the object, `None` nothing. */
  includeObject: IncludeObject;
  /** The clock for AGE-style cells. */
  now: Date;
  /** resourceVersion / continue / remainingItemCount of the list (or the object's resourceVersion). */
  listMeta?: TableListMeta;
}

/** The row object for `includeObject=Metadata`. */
function partialObjectMetadata(obj: KubeObject): KubeObject {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
}

/** Builds the Table for `objects` of the resource `info`. Never throws for odd objects. */
export function toTable(
  info: Pick<ResourceInfo, 'group' | 'resource'>,
  objects: readonly KubeObject[],
  options: TableOptions,
): Table {
  const printer = printerFor(info);
  const keep = printer.columns.map((c) => options.wide !== false || c.priority === 0);
  const rows = objects.map((obj): TableRow => {
    const row: TableRow = { cells: printer.cells(obj, options.now).filter((_, i) => keep[i] === true) };
    const conditions = printer.conditions?.(obj);
    if (conditions !== undefined) row.conditions = conditions;
    if (options.includeObject === 'Object') row.object = obj;
    else if (options.includeObject === 'Metadata') row.object = partialObjectMetadata(obj);
    return row;
  });
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { ...options.listMeta },
    columnDefinitions: printer.columns.filter((_, i) => keep[i] === true).map((c) => ({ ...c })),
    rows,
  };
}
