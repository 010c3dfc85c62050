/**
 * Label selectors: the parsed query-parameter syntax and the `metav1.LabelSelector`
 * object form (matchLabels + matchExpressions) compile to the same immutable
 * `LabelSelector`, which matches label maps and prints upstream's canonical text.
 * All constructors throw a 400 BadRequest StatusError with upstream's message on bad input.
 */
import type { LabelSelector as LabelSelectorObject } from 'kubernetes-types/meta/v1.js';
import { badRequest } from '../status.js';
import {
  type LabelOperator,
  type LabelRequirement,
  type Labels,
  newLabelRequirement,
  requirementMatches,
  requirementToString,
} from './labelRequirement.js';
import { parseLabelRequirements } from './labelSelectorParser.js';

export type { LabelOperator, LabelRequirement, Labels } from './labelRequirement.js';

const byKey = (a: LabelRequirement, b: LabelRequirement): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** A compiled label selector: the AND of its requirements, or a selector that matches nothing. */
export class LabelSelector {
  private static readonly all = new LabelSelector([], false);
  private static readonly none = new LabelSelector([], true);

  private constructor(
    /** Requirements sorted by key; empty for "everything". */
    readonly requirements: readonly LabelRequirement[],
    /** True only for the selector of an absent `metav1.LabelSelector` (upstream `labels.Nothing()`). */
    readonly matchesNothing: boolean,
  ) {}

  /** A selector of these requirements (sorted by key, stably). */
  static of(requirements: readonly LabelRequirement[]): LabelSelector {
    return new LabelSelector([...requirements].sort(byKey), false);
  }

  /** The selector that matches every label set. */
  static everything(): LabelSelector {
    return LabelSelector.all;
  }

  /** The selector that matches nothing. */
  static nothing(): LabelSelector {
    return LabelSelector.none;
  }

  /** True when every requirement holds for `labels`. */
  matches(labels: Labels): boolean {
    if (this.matchesNothing) return false;
    return this.requirements.every((r) => requirementMatches(r, labels));
  }

  /** True when the selector does not restrict anything (upstream `Empty()`). */
  isEmpty(): boolean {
    return !this.matchesNothing && this.requirements.length === 0;
  }

  /**
   * The value `key` must have for any match, when the selector pins it to exactly one
   * (`k=v`, `k==v`, `k in (v)`); undefined otherwise. Useful for index lookups.
   */
  requiredValue(key: string): string | undefined {
    const req = this.requirements.find((r) => r.key === key);
    if (req === undefined || req.values.length !== 1) return undefined;
    return req.operator === '=' || req.operator === '==' || req.operator === 'in' ? req.values[0] : undefined;
  }

  /** Upstream's canonical text: requirements by key, joined with `,`; empty for everything and nothing. */
  toString(): string {
    return this.requirements.map(requirementToString).join(',');
  }
}

/** Parses the string syntax (`a=b,c in (d),!e`); empty text selects everything. */
export function parseLabelSelector(text: string): LabelSelector {
  return LabelSelector.of(parseLabelRequirements(text));
}

const OBJECT_OPERATORS: Readonly<Record<string, LabelOperator>> = {
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: '!',
};

/**
 * Converts a `metav1.LabelSelector` (upstream `LabelSelectorAsSelector`): absent
 * selects nothing, empty selects everything, otherwise matchLabels (as `k=v`) AND
 * matchExpressions (In, NotIn, Exists, DoesNotExist).
 */
export function labelSelectorFromObject(selector: LabelSelectorObject | null | undefined): LabelSelector {
  if (selector === undefined || selector === null) return LabelSelector.nothing();
  const matchLabels = selector.matchLabels ?? {};
  const expressions = selector.matchExpressions ?? [];
  if (Object.keys(matchLabels).length + expressions.length === 0) return LabelSelector.everything();
  const requirements: LabelRequirement[] = [];
  for (const [key, value] of Object.entries(matchLabels)) {
    requirements.push(newLabelRequirement(key, '=', [String(value)]));
  }
  for (const expr of expressions) {
    const operator = OBJECT_OPERATORS[expr.operator];
    if (operator === undefined) {
      throw badRequest(`${JSON.stringify(expr.operator)} is not a valid label selector operator`);
    }
    const values = expr.values !== undefined && expr.values !== null && expr.values.length > 0 ? expr.values : undefined;
    requirements.push(newLabelRequirement(expr.key, operator, values));
  }
  return LabelSelector.of(requirements);
}

/**
 * A selector matching exactly the given label set (upstream `SelectorFromSet`), as
 * Services and ReplicationControllers use; absent or empty selects everything.
 * Values are not validated.
 */
export function labelSelectorFromSet(set: Readonly<Record<string, string>> | null | undefined): LabelSelector {
  if (set === undefined || set === null) return LabelSelector.everything();
  return LabelSelector.of(
    Object.entries(set).map(([key, value]): LabelRequirement => ({ key, operator: '=', values: [String(value)] })),
  );
}

/**
 * The canonical text of a `metav1.LabelSelector` (e.g. `app=web,tier in (a,b)`), as
 * Scale `status.selector` and kubectl's wide SELECTOR column show it; empty for an
 * absent selector. Throws like `labelSelectorFromObject` when the selector is invalid.
 */
export function selectorToString(selector: LabelSelectorObject | null | undefined): string {
  return labelSelectorFromObject(selector).toString();
}

/** Upstream `labels.FormatLabels`: `k=v` pairs sorted by key, or `<none>` for none. */
export function formatLabels(labels: Readonly<Record<string, string>> | null | undefined): string {
  const text = labelSelectorFromSet(labels).toString();
  return text === '' ? '<none>' : text;
}
