/**
 * A reader for upstream's generated.proto files, used only to cross-check the facts
 * read from the Go types: each message's fields with number, name, cardinality and type.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** One field line of a proto2 message. */
export interface ProtoField {
  name: string;
  number: number;
  cardinality: 'optional' | 'repeated' | 'map';
  /** The proto type as written (`string`, `.k8s.io.api.core.v1.Container`); for a map, its value type. */
  type: string;
}

/** Message name → fields by number, of the generated.proto in `dir` (empty when there is none). */
export function readProtoFile(dir: string): Map<string, Map<number, ProtoField>> {
  const file = path.join(dir, 'generated.proto');
  const messages = new Map<string, Map<number, ProtoField>>();
  if (!existsSync(file)) return messages;
  let current: Map<number, ProtoField> | undefined;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const open = /^message (\w+) \{/.exec(line);
    if (open !== null) {
      current = new Map();
      messages.set(open[1] ?? '', current);
      continue;
    }
    if (line.startsWith('}')) {
      current = undefined;
      continue;
    }
    if (current === undefined) continue;
    const map = /^\s*map<\s*[\w.]+\s*,\s*([\w.]+)\s*>\s+(\w+)\s*=\s*(\d+);/.exec(line);
    if (map !== null) {
      current.set(Number(map[3]), { name: map[2] ?? '', number: Number(map[3]), cardinality: 'map', type: map[1] ?? '' });
      continue;
    }
    const field = /^\s*(optional|repeated|required)\s+([\w.]+)\s+(\w+)\s*=\s*(\d+);/.exec(line);
    if (field !== null) {
      const cardinality = field[1] === 'repeated' ? 'repeated' : 'optional';
      current.set(Number(field[4]), { name: field[3] ?? '', number: Number(field[4]), cardinality, type: field[2] ?? '' });
    }
  }
  return messages;
}
