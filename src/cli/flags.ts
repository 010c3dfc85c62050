/**
 * Command-line flags for k8ts subcommands: `--name value` / `--name=value` parsing
 * over a declared spec, `--help`, and usage text listing every flag.
 */
import { parseArgs } from 'node:util';

/** One declared flag. */
export interface FlagSpec {
  type: 'string' | 'boolean';
  help: string;
  default?: string;
  multiple?: boolean;
  /** The value's name in usage text (default: the flag name's last word, upper-cased). */
  valueName?: string;
}

type FlagValue<S extends FlagSpec> = S['type'] extends 'boolean'
  ? boolean
  : S['multiple'] extends true
    ? string[] | undefined
    : S['default'] extends string
      ? string
      : string | undefined;

/** Parsed values of a flag spec. */
export type Flags<T extends Record<string, FlagSpec>> = { [K in keyof T]: FlagValue<T[K]> };

/** Thrown for bad command lines; the CLI prints it and exits 2. */
export class UsageError extends Error {}

/** Parses `argv` against `spec`; returns 'help' when --help/-h was given. */
export function parseFlags<T extends Record<string, FlagSpec>>(command: string, spec: T, argv: readonly string[]): Flags<T> | 'help' {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; default?: string; short?: string }> = {
    help: { type: 'boolean', short: 'h' },
  };
  for (const [name, flag] of Object.entries(spec)) {
    options[name] = { type: flag.type, ...(flag.multiple ? { multiple: true } : {}), ...(flag.default !== undefined ? { default: flag.default } : {}) };
  }
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({ args: [...argv], options, allowPositionals: false, strict: true }));
  } catch (err) {
    throw new UsageError(`k8ts ${command}: ${(err as Error).message}`);
  }
  if (values.help === true) return 'help';
  return values as Flags<T>;
}

/** Usage text: synopsis, description and one line per flag. */
export function usage(synopsis: string, description: string, spec: Record<string, FlagSpec>): string {
  const lines = [`Usage: ${synopsis}`, '', description, '', 'Flags:'];
  for (const [name, flag] of Object.entries(spec)) {
    const arg = flag.type === 'string' ? ` ${flag.valueName ?? name.split('-').pop()?.toUpperCase() ?? 'VALUE'}` : '';
    const dflt = flag.default !== undefined ? ` (default ${flag.default})` : '';
    lines.push(`  --${name}${arg}`.padEnd(34) + `${flag.help}${dflt}`);
  }
  lines.push('  -h, --help'.padEnd(34) + 'Show this help');
  return `${lines.join('\n')}\n`;
}
