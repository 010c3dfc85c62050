/**
 * Resource lists (`{cpu: "500m", memory: "1Gi"}`): the defaulting upstream
 * applies to every one (round up to milli precision, canonical form) and their
 * validation (valid, non-negative quantities).
 */
import { tryParseQuantity, parseQuantity, QuantityParseError } from './quantity.js';
import { fieldError, type FieldError } from './status.js';
import { IS_NEGATIVE_ERROR_MSG } from './validation/messages.js';

/** A resource list as decoded from JSON; values may arrive as numbers. */
export type ResourceList = Record<string, string | number>;

/** Rounds every parseable quantity up to milli precision and rewrites it in canonical form. */
export function defaultResourceList(list: ResourceList | undefined): void {
  if (list === undefined || list === null) return;
  for (const [name, value] of Object.entries(list)) {
    const quantity = tryParseQuantity(String(value));
    if (quantity !== undefined) list[name] = quantity.roundUpToMilli().toString();
  }
}

/** Validates each quantity of a resource list at `path[name]`: parseable and not negative. */
export function validateResourceList(list: ResourceList | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [name, value] of Object.entries(list ?? {})) {
    const at = `${path}[${name}]`;
    try {
      const quantity = parseQuantity(String(value));
      if (quantity.nanos < 0n) errs.push(fieldError.invalid(at, quantity.toString(), IS_NEGATIVE_ERROR_MSG));
    } catch (err) {
      if (!(err instanceof QuantityParseError)) throw err;
      errs.push(fieldError.invalid(at, value, err.message));
    }
  }
  return errs;
}
