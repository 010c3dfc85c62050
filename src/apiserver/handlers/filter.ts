/**
 * The object filter of a list or watch: label selector and field selector combined
 * into one predicate, with the resource's selectable fields.
 */
import type { KubeObject } from '../../api/object.js';
import { compileFieldSelector } from '../../api/selectors/fieldSelector.js';
import { parseLabelSelector } from '../../api/selectors/labelSelector.js';
import type { Strategy } from '../registry/strategy.js';

/** A predicate over objects. */
export type ObjectFilter = (obj: KubeObject) => boolean;

/**
 * Builds the filter for `labelSelector`/`fieldSelector` strings; throws a 400 Status
 * for a malformed selector or an unsupported field. Undefined when nothing filters.
 */
export function buildFilter(labelSelector: string, fieldSelector: string, strategy: Strategy): ObjectFilter | undefined {
  const labels = labelSelector.trim() === '' ? undefined : parseLabelSelector(labelSelector);
  const fields = fieldSelector.trim() === '' ? undefined : compileFieldSelector(fieldSelector, strategy.selectableFields ?? {});
  if (labels === undefined && fields === undefined) return undefined;
  return (obj) =>
    (labels === undefined || labels.matches(obj.metadata.labels ?? {})) && (fields === undefined || fields.matches(obj));
}
