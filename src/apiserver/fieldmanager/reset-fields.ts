/**
 * Fields a write through one endpoint never owns, as upstream's reset-fields
 * strategies declare them: the main endpoint of a resource with a status subresource
 * does not own `status`, and the status subresource does not own `spec`.
 */
import type { ResourceInfo } from '../../api/resources.js';
import { fieldElement, type FieldPath } from './path-element.js';

const STATUS: readonly FieldPath[] = [[fieldElement('status')]];
const SPEC: readonly FieldPath[] = [[fieldElement('spec')]];

/** The subtrees excluded from field tracking for writes to `subresource` ('' = the resource itself). */
export function ignoredFieldsOf(info: ResourceInfo, subresource: string): readonly FieldPath[] {
  if (subresource === 'status') return SPEC;
  if (subresource === '' && info.subresources.some((s) => s.name === 'status')) return STATUS;
  return [];
}
