/**
 * Compares the facts read from the Go types with upstream's generated.proto: every
 * proto field must be collected with the same number, name, cardinality and type,
 * and nothing may be collected that the proto file lacks. Returns the problems found.
 */
import type { CollectedMessage, WrappedList } from './messageCollector.js';
import type { ProtoField } from './protoFile.js';

/** The generated.proto messages of one Go package, by message name. */
export type ProtoMessagesOf = (importPath: string) => ReadonlyMap<string, ReadonlyMap<number, ProtoField>>;

function lastSegment(protoType: string): string {
  return protoType.slice(protoType.lastIndexOf('.') + 1);
}

/** Problems found checking `messages` and `wrappedLists` against the proto files. */
export function crossCheck(messages: readonly CollectedMessage[], wrappedLists: readonly WrappedList[], protoOf: ProtoMessagesOf): string[] {
  const problems: string[] = [];
  for (const message of messages) {
    const proto = protoOf(message.importPath).get(message.goName);
    if (proto === undefined) {
      problems.push(`${message.name}: no message ${message.goName} in generated.proto`);
      continue;
    }
    for (const { fact, protoName, protoType } of message.fields) {
      const where = `${message.name} field ${fact.number} (${protoName})`;
      const field = proto.get(fact.number);
      if (field === undefined) {
        problems.push(`${where}: missing from generated.proto`);
        continue;
      }
      if (field.name !== protoName) problems.push(`${where}: generated.proto names it ${field.name}`);
      const cardinality = fact.map ? 'map' : fact.list === 'plain' ? 'repeated' : 'optional';
      if (field.cardinality !== cardinality) problems.push(`${where}: ${cardinality} here, ${field.cardinality} in generated.proto`);
      if (lastSegment(field.type) !== protoType) problems.push(`${where}: type ${protoType} here, ${field.type} in generated.proto`);
    }
    const collected = new Set(message.fields.map((f) => f.fact.number));
    for (const field of proto.values()) {
      if (!collected.has(field.number)) problems.push(`${message.name}: proto field ${field.number} (${field.name}) not collected`);
    }
  }
  for (const wrapped of wrappedLists) {
    const items = protoOf(wrapped.importPath).get(wrapped.goName)?.get(1);
    if (items?.name !== 'items' || items.cardinality !== 'repeated' || lastSegment(items.type) !== wrapped.protoType) {
      problems.push(`${wrapped.importPath}.${wrapped.goName}: generated.proto lacks "repeated ${wrapped.protoType} items = 1"`);
    }
  }
  return problems;
}
