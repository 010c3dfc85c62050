/**
 * `$(VAR)` references in container env values, command and args, expanded as
 * upstream's forked `expansion` package: `$$` is an escaped `$`, a reference with no
 * value (or an unclosed `$(`) stays as written, a lone `$` is kept.
 */

/** Looks up a variable; undefined when it has no value. */
export type VariableLookup = (name: string) => string | undefined;

/** A lookup over maps in order (first hit wins), as upstream's `MappingFuncFor`. */
export function lookupIn(...contexts: ReadonlyMap<string, string>[]): VariableLookup {
  return (name) => {
    for (const context of contexts) {
      const value = context.get(name);
      if (value !== undefined) return value;
    }
    return undefined;
  };
}

/** Expands every `$(NAME)` in `input` through `lookup`; see the module comment for the rules. */
export function expandVariables(input: string, lookup: VariableLookup): string {
  let out = '';
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] !== '$' || cursor + 1 >= input.length) continue;
    out += input.slice(checkpoint, cursor);
    const next = input[cursor + 1];
    let advance = 1;
    if (next === '$') {
      out += '$';
    } else if (next === '(') {
      const close = input.indexOf(')', cursor + 2);
      if (close === -1) {
        out += '$(';
      } else {
        const name = input.slice(cursor + 2, close);
        out += lookup(name) ?? `$(${name})`;
        advance = close - cursor;
      }
    } else {
      out += `$${next}`;
    }
    cursor += advance;
    checkpoint = cursor + 1;
  }
  return out + input.slice(checkpoint);
}
