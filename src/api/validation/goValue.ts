/**
 * Renders values the way Go's `%#v` does where upstream error messages embed
 * them (e.g. `map[string]string{"app":"web"}` in a Deployment's selector error),
 * and builds Invalid field errors around such pre-rendered values.
 */
import type { FieldError } from '../status.js';

/** `map[string]string{"a":"1", "b":"2"}` with keys sorted, as Go prints a string map. */
export function goStringMap(map: Readonly<Record<string, string>> | undefined): string {
  if (map === undefined || map === null) return 'map[string]string(nil)';
  const entries = Object.keys(map)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${JSON.stringify(String(map[k]))}`);
  return `map[string]string{${entries.join(', ')}}`;
}

/** `[]string{"a", "b"}`, as Go prints a string slice. */
export function goStringSlice(values: readonly string[] | undefined): string {
  if (values === undefined || values === null) return '[]string(nil)';
  return `[]string{${values.map((v) => JSON.stringify(v)).join(', ')}}`;
}

/** An Invalid field error whose value is already rendered (no extra quoting). */
export function invalidRendered(field: string, rendered: string, detail: string): FieldError {
  return { type: 'FieldValueInvalid', field, detail: `Invalid value: ${rendered}: ${detail}` };
}

interface SelectorLike {
  matchLabels?: Readonly<Record<string, string>>;
  matchExpressions?: ReadonlyArray<{ key: string; operator: string; values?: readonly string[] }>;
}

/** A `metav1.LabelSelector` as Go's `%#v` prints it (as `field is immutable` errors show selectors). */
export function goLabelSelector(selector: SelectorLike | undefined): string {
  if (selector === undefined || selector === null) return 'null';
  const expressions =
    selector.matchExpressions === undefined
      ? '[]v1.LabelSelectorRequirement(nil)'
      : `[]v1.LabelSelectorRequirement{${selector.matchExpressions
          .map(
            (e) =>
              `v1.LabelSelectorRequirement{Key:${JSON.stringify(e.key)}, Operator:${JSON.stringify(e.operator)}, Values:${goStringSlice(e.values)}}`,
          )
          .join(', ')}}`;
  return `v1.LabelSelector{MatchLabels:${goStringMap(selector.matchLabels)}, MatchExpressions:${expressions}}`;
}
