/**
 * The wire shapes of `meta.k8s.io/v1` Table and the contract of a per-resource
 * printer: column definitions plus a function from one object to its row cells.
 */
import type { KubeObject } from '../../api/object.js';

/** `metav1.TableColumnDefinition`: every field is always serialized. */
export interface TableColumnDefinition {
  name: string;
  /** OpenAPI type: `string`, `integer`, `number`, `boolean`, `date`. */
  type: string;
  /** OpenAPI format hint; `name` marks the column that holds the object's name. */
  format: string;
  description: string;
  /** 0 for default columns; kubectl shows priority > 0 columns only with `-o wide`. */
  priority: number;
}

/** One cell value. */
export type TableCell = string | number | boolean;

/** `metav1.TableRowCondition`, e.g. a finished pod's `Completed` marker. */
export interface TableRowCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
}

/** `metav1.TableRow`. `object` is absent when the request asked for `includeObject=None`. */
export interface TableRow {
  cells: TableCell[];
  conditions?: TableRowCondition[];
  object?: unknown;
}

/** List metadata carried by a Table. */
export interface TableListMeta {
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

/** `meta.k8s.io/v1` Table. */
export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: TableListMeta;
  columnDefinitions: TableColumnDefinition[];
  rows: TableRow[];
}

/** How one resource prints: its columns, and the cells (one per column, in order) of an object. */
export interface Printer {
  readonly columns: readonly TableColumnDefinition[];
  cells(obj: KubeObject, now: Date): TableCell[];
  /** Row conditions, when the resource has any (pods). */
  conditions?(obj: KubeObject): TableRowCondition[] | undefined;
}
