/**
 * Building blocks shared by printers: column definition shorthands, the NAME and
 * AGE columns every resource starts and ends with, and the cell formats upstream
 * reuses (container names/images, label selectors, booleans, `<none>` placeholders).
 */
import type { Container } from 'kubernetes-types/core/v1.js';
import type { LabelSelector as LabelSelectorObject } from 'kubernetes-types/meta/v1.js';
import { labelSelectorFromObject } from '../../api/selectors/labelSelector.js';
import type { TableColumnDefinition } from './tableTypes.js';

/** A column definition; `priority: 1` marks a `-o wide` column. */
export function column(
  name: string,
  type: string,
  description: string,
  options: { format?: string; priority?: number } = {},
): TableColumnDefinition {
  return { name, type, format: options.format ?? '', description, priority: options.priority ?? 0 };
}

/** A string column shown only with `-o wide`. */
export function wideColumn(name: string, description: string): TableColumnDefinition {
  return column(name, 'string', description, { priority: 1 });
}

/** The NAME column. */
export const NAME_COLUMN = column(
  'Name',
  'string',
  'The name of the object, unique among objects of its kind in its namespace.',
  { format: 'name' },
);

/** Description of AGE columns (and the default table's Created At). */
export const CREATION_DESCRIPTION = 'When the object was created, as recorded by the server (RFC 3339, UTC).';

/** The AGE column. */
export const AGE_COLUMN = column('Age', 'string', CREATION_DESCRIPTION);

/** The wide CONTAINERS and IMAGES columns of workload resources. */
export const CONTAINERS_COLUMN = wideColumn('Containers', 'Names of each container in the template.');
/** See `CONTAINERS_COLUMN`. */
export const IMAGES_COLUMN = wideColumn('Images', 'Images referenced by each container in the template.');

/** Container names and images, each joined with `,` (upstream `layoutContainerCells`). */
export function containerCells(containers: readonly Container[] | undefined): [string, string] {
  const list = containers ?? [];
  return [list.map((c) => c.name).join(','), list.map((c) => c.image ?? '').join(',')];
}

/** Upstream `metav1.FormatLabelSelector`: canonical text, `<none>` when empty, `<error>` when invalid. */
export function formatLabelSelector(selector: LabelSelectorObject | null | undefined): string {
  try {
    const text = labelSelectorFromObject(selector).toString();
    return text === '' ? '<none>' : text;
  } catch {
    return '<error>';
  }
}

/** `True`/`False`, as upstream prints booleans in text cells. */
export function formatBool(value: boolean): string {
  return value ? 'True' : 'False';
}

/** Upstream `printBoolPtr`: `True`/`False`, or `<unset>` when absent. */
export function formatOptionalBool(value: boolean | null | undefined): string {
  return value === undefined || value === null ? '<unset>' : formatBool(value);
}

/** The text, or the placeholder when the text is empty or absent. */
export function orPlaceholder(text: string | null | undefined, placeholder: string): string {
  return text === undefined || text === null || text === '' ? placeholder : text;
}

/** Joins up to three items with `,`, then ` + N more...`; `<unset>` for none (upstream `listWithMoreString`). */
export function listWithMore(items: readonly string[], max = 3): string {
  if (items.length === 0) return '<unset>';
  const shown = items.slice(0, max).join(',');
  return items.length > max ? `${shown} + ${items.length - max} more...` : shown;
}
