/**
 * Walks upstream's Go API types from a set of root structs and turns every struct
 * they reach into a protobuf message fact list: field number from the `protobuf:"..."`
 * tag, JSON name, omitempty and inline from the `json:"..."` tag, pointer-ness, value
 * kind and cardinality (hence wire type) from the Go type.
 */
import path from 'node:path';
import type { FieldFact, ScalarKind, ValueKind, WellKnownKind } from '../../src/apiserver/protobuf/schema.js';
import { readGoPackage, tagValue, type GoDeclaration, type GoField } from './goSource.js';

/** Local checkouts of the two upstream modules. */
export interface SourceTrees {
  /** A checkout of k8s.io/api. */
  api: string;
  /** A checkout of k8s.io/apimachinery. */
  apimachinery: string;
}

/** A field fact plus what the cross-check against generated.proto needs. */
export interface CollectedField {
  fact: FieldFact;
  /** The `name=` of the protobuf tag. */
  protoName: string;
  /** The last segment of the proto type the field should have (`string`, `Container`, `Quantity`). */
  protoType: string;
}

/** One collected message. */
export interface CollectedMessage {
  name: string;
  importPath: string;
  goName: string;
  fields: CollectedField[];
}

/** A Go named slice that protobuf wraps in a message of its own (`repeated T items = 1`). */
export interface WrappedList {
  importPath: string;
  goName: string;
  protoType: string;
}

const WELL_KNOWN: Readonly<Record<string, WellKnownKind>> = {
  'k8s.io/apimachinery/pkg/apis/meta/v1.Time': 'time',
  'k8s.io/apimachinery/pkg/apis/meta/v1.MicroTime': 'microTime',
  'k8s.io/apimachinery/pkg/apis/meta/v1.Duration': 'duration',
  'k8s.io/apimachinery/pkg/apis/meta/v1.FieldsV1': 'fieldsV1',
  'k8s.io/apimachinery/pkg/api/resource.Quantity': 'quantity',
  'k8s.io/apimachinery/pkg/util/intstr.IntOrString': 'intOrString',
  'k8s.io/apimachinery/pkg/runtime.RawExtension': 'rawExtension',
};

const BUILTINS: Readonly<Record<string, ScalarKind>> = {
  string: 'string',
  bool: 'bool',
  int32: 'int32',
  int64: 'int64',
  uint32: 'uint32',
  uint64: 'uint64',
  float64: 'double',
  float32: 'float',
};

/** A resolved Go type: the value part of a field fact. */
interface ResolvedType {
  kind: ValueKind;
  message?: string;
  list?: 'plain' | 'wrapped';
  map?: true;
  pointer?: true;
  protoType: string;
}

interface Scope {
  importPath: string;
  imports: ReadonlyMap<string, string>;
}

/** The short package name used in message names: `core/v1`, `meta/v1`. */
export function shortPackageName(importPath: string): string {
  for (const prefix of ['k8s.io/api/', 'k8s.io/apimachinery/pkg/apis/']) {
    if (importPath.startsWith(prefix)) return importPath.slice(prefix.length);
  }
  return importPath;
}

/** Collects the messages reachable from the roots added with `addRoot`. */
export class MessageCollector {
  private readonly packages = new Map<string, Map<string, GoDeclaration>>();
  private readonly queue: { importPath: string; goName: string }[] = [];
  private readonly collected = new Map<string, CollectedMessage>();
  private readonly wrapped = new Map<string, WrappedList>();

  constructor(private readonly trees: SourceTrees) {}

  /** Adds a root struct; returns its message name. */
  addRoot(importPath: string, goName: string): string {
    const declaration = this.declaration(importPath, goName);
    if (declaration.form !== 'struct') throw new Error(`${importPath}.${goName} is not a struct`);
    return this.enqueue(importPath, goName);
  }

  /** Processes every queued struct and what it reaches; returns all messages, sorted by name. */
  collect(): CollectedMessage[] {
    for (let next = this.queue.shift(); next !== undefined; next = this.queue.shift()) {
      const name = `${shortPackageName(next.importPath)}.${next.goName}`;
      const declaration = this.declaration(next.importPath, next.goName);
      if (declaration.form !== 'struct') throw new Error(`${name} is not a struct`);
      const scope = { importPath: next.importPath, imports: declaration.imports };
      const fields = declaration.fields.flatMap((field) => this.field(name, field, scope) ?? []);
      this.collected.set(name, { name, importPath: next.importPath, goName: next.goName, fields });
    }
    return [...this.collected.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** The wrapped named slices met while collecting. */
  wrappedLists(): WrappedList[] {
    return [...this.wrapped.values()];
  }

  /** The directory of a Go package inside the checkouts. */
  packageDir(importPath: string): string {
    if (importPath.startsWith('k8s.io/api/')) return path.join(this.trees.api, importPath.slice('k8s.io/api/'.length));
    if (importPath.startsWith('k8s.io/apimachinery/')) return path.join(this.trees.apimachinery, importPath.slice('k8s.io/apimachinery/'.length));
    throw new Error(`package ${importPath} is outside k8s.io/api and k8s.io/apimachinery`);
  }

  private enqueue(importPath: string, goName: string): string {
    const name = `${shortPackageName(importPath)}.${goName}`;
    if (!this.collected.has(name) && !this.queue.some((q) => q.importPath === importPath && q.goName === goName)) {
      this.queue.push({ importPath, goName });
      this.collected.set(name, { name, importPath, goName, fields: [] });
    }
    return name;
  }

  private declaration(importPath: string, goName: string): GoDeclaration {
    let declarations = this.packages.get(importPath);
    if (declarations === undefined) {
      declarations = readGoPackage(this.packageDir(importPath));
      this.packages.set(importPath, declarations);
    }
    const declaration = declarations.get(goName);
    if (declaration === undefined) throw new Error(`type ${goName} not found in ${importPath}`);
    return declaration;
  }

  private field(message: string, field: GoField, scope: Scope): CollectedField | undefined {
    const where = `${message}.${field.name}`;
    const protobufTag = tagValue(field.tag, 'protobuf');
    const jsonTag = tagValue(field.tag, 'json');
    if (protobufTag === undefined) {
      // TypeMeta travels in the runtime.Unknown envelope, not in the message.
      if ((field.embedded && field.type.endsWith('TypeMeta')) || jsonTag === '-' || /^[a-z]/.test(field.name)) return undefined;
      throw new Error(`${where}: no protobuf tag`);
    }
    if (jsonTag === undefined || jsonTag === '-') throw new Error(`${where}: protobuf field without a JSON name`);
    // Only the tag's number and name are used: its wire type and cardinality are not
    // always right (DeleteOptions.propagationPolicy says varint, EndpointSlice.addressType
    // says rep); go-to-protobuf encodes by Go type, and the cross-check compares with generated.proto.
    const [, numberText = '', , ...options] = protobufTag.split(',');
    const [jsonName = '', ...jsonOptions] = jsonTag.split(',');
    // Without `name=`, go-to-protobuf names the field after its JSON name, else after the Go field.
    const fallbackName = jsonName !== '' ? jsonName : field.name.charAt(0).toLowerCase() + field.name.slice(1);
    const protoName = options.find((o) => o.startsWith('name='))?.slice('name='.length) ?? fallbackName;
    const resolved = this.resolve(field.type, scope, where);
    const inline = jsonOptions.includes('inline') || (field.embedded && jsonName === '');
    const repeated = resolved.list === 'plain' || resolved.map === true;
    if (inline && (resolved.kind !== 'message' || repeated)) throw new Error(`${where}: only a message can be inlined`);
    const fact: FieldFact = { number: Number(numberText), json: inline ? '' : jsonName, kind: resolved.kind };
    if (resolved.message !== undefined) fact.message = resolved.message;
    if (resolved.list !== undefined) fact.list = resolved.list;
    if (resolved.map) fact.map = true;
    if (resolved.pointer) fact.pointer = true;
    if (jsonOptions.includes('omitempty')) fact.omitempty = true;
    if (inline) fact.inline = true;
    return { fact, protoName, protoType: resolved.protoType };
  }

  /** Resolves a Go type expression written in `scope`. */
  private resolve(expression: string, scope: Scope, where: string): ResolvedType {
    if (expression.startsWith('*')) return { ...this.resolve(expression.slice(1), scope, where), pointer: true };
    if (expression === '[]byte') return { kind: 'bytes', protoType: 'bytes' };
    if (expression.startsWith('[]')) {
      const element = this.resolve(expression.slice(2), scope, where);
      if (element.list !== undefined || element.map) throw new Error(`${where}: nested collections are not supported (${expression})`);
      return { ...element, list: 'plain', pointer: undefined };
    }
    if (expression.startsWith('map[')) {
      const close = expression.indexOf(']');
      const key = this.resolve(expression.slice(4, close), scope, where);
      if (key.kind !== 'string' || key.list !== undefined || key.map) throw new Error(`${where}: map keys must be strings (${expression})`);
      const value = this.resolve(expression.slice(close + 1), scope, where);
      if (value.list === 'plain' || value.map || value.pointer) throw new Error(`${where}: unsupported map value (${expression})`);
      return { ...value, map: true };
    }
    const builtin = BUILTINS[expression];
    if (builtin !== undefined) return { kind: builtin, protoType: builtin };
    const dot = expression.indexOf('.');
    const importPath = dot < 0 ? scope.importPath : scope.imports.get(expression.slice(0, dot));
    if (importPath === undefined) throw new Error(`${where}: unknown package in ${expression}`);
    return this.resolveNamed(importPath, dot < 0 ? expression : expression.slice(dot + 1), where);
  }

  private resolveNamed(importPath: string, goName: string, where: string): ResolvedType {
    const wellKnown = WELL_KNOWN[`${importPath}.${goName}`];
    if (wellKnown !== undefined) return { kind: wellKnown, protoType: goName };
    const declaration = this.declaration(importPath, goName);
    if (declaration.form === 'struct') return { kind: 'message', message: this.enqueue(importPath, goName), protoType: goName };
    const scope = { importPath, imports: declaration.imports };
    if (declaration.markers.includes('+protobuf.nullable=true') && declaration.underlying.startsWith('[]')) {
      const element = this.resolve(declaration.underlying.slice(2), scope, where);
      if (element.list !== undefined || element.map || element.kind === 'message') throw new Error(`${where}: unsupported wrapped list ${goName}`);
      this.wrapped.set(`${importPath}.${goName}`, { importPath, goName, protoType: element.protoType });
      return { ...element, list: 'wrapped', protoType: goName };
    }
    return this.resolve(declaration.underlying, scope, where);
  }
}
