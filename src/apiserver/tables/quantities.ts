/**
 * Quantity cells: upstream prints `resource.Quantity.String()`, the canonical form
 * (`1024Mi` → `1Gi`); an absent quantity is the zero value, `0`.
 */
import { tryParseQuantity } from '../../api/quantity.js';

/** The canonical text of a stored quantity; text that does not parse is shown as stored. */
export function formatQuantity(value: string | number | null | undefined): string {
  if (value === undefined || value === null) return '0';
  return tryParseQuantity(String(value))?.toString() ?? String(value);
}
