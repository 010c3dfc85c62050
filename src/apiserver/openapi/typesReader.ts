/**
 * Build-time reader of the `kubernetes-types` declaration files: turns every exported
 * interface and type alias into a named JSON schema with upstream's definition name,
 * the field descriptions from the doc comments, and `required` from non-optional
 * members. Uses the TypeScript parser only (no type checker), so it runs in well
 * under a second. Never imported by the running server.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { INT_OR_STRING, META, packageOfModule } from './definitionNames.js';
import { definitionRef, type Definitions, type GroupVersionKind, type OpenApiSchema } from './schema.js';

/** Type aliases whose Go type serializes as a formatted string. */
const STRING_FORMATS: Readonly<Record<string, string>> = {
  [META.time]: 'date-time',
  [META.microTime]: 'date-time',
};

/** The only floating-point fields of the served APIs (Go float64); every other number is an integer. */
const FLOAT_FIELDS: Readonly<Record<string, readonly string[]>> = {
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps': ['maximum', 'minimum', 'multipleOf'],
};

/** Empty interfaces that stand for any JSON value rather than an object. */
const ANY_JSON_VALUE = new Set(['io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON']);

/** Our own summary of IntOrString, a Go type `kubernetes-types` inlines as `number | string`. */
const INT_OR_STRING_SCHEMA: OpenApiSchema = {
  description:
    'IntOrString holds either an integer or a string. Where a field accepts it, a JSON number is read as the integer form and a JSON string as the string form (for example a port number or a port name, or a count or a percentage).',
  type: 'string',
  format: 'int-or-string',
};

/** Reads every declaration file under the `kubernetes-types` package directory. */
export function readKubernetesTypes(packageDir: string): Definitions {
  const definitions: Definitions = { [INT_OR_STRING]: INT_OR_STRING_SCHEMA };
  for (const file of declarationFiles(packageDir)) {
    const modulePath = path.relative(packageDir, file).split(path.sep).join('/').replace(/\.d\.ts$/, '');
    readModule(modulePath, readFileSync(file, 'utf8'), definitions);
  }
  return Object.fromEntries(Object.entries(definitions).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function declarationFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : declarationFiles(full);
    return entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** Reads one module (`core/v1`) into `definitions`. Exported for tests. */
export function readModule(modulePath: string, text: string, definitions: Definitions): void {
  const source = ts.createSourceFile(`${modulePath}.d.ts`, text, ts.ScriptTarget.Latest, true);
  const names = new Map<string, string>();
  const prefix = packageOfModule(modulePath);
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement)) {
      const from = packageOfModule(path.posix.join(path.posix.dirname(modulePath), (statement.moduleSpecifier as ts.StringLiteral).text));
      const bindings = statement.importClause?.namedBindings;
      if (bindings && ts.isNamedImports(bindings)) {
        for (const element of bindings.elements) {
          names.set(element.name.text, `${from}.${(element.propertyName ?? element.name).text}`);
        }
      }
    } else if (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) {
      names.set(statement.name.text, `${prefix}.${statement.name.text}`);
    }
  }
  const reader = new ModuleReader(text, names);
  for (const statement of source.statements) {
    if (ts.isInterfaceDeclaration(statement)) {
      const name = `${prefix}.${statement.name.text}`;
      definitions[name] = reader.objectSchema(name, statement);
    } else if (ts.isTypeAliasDeclaration(statement)) {
      const name = `${prefix}.${statement.name.text}`;
      const schema = reader.schemaOf(statement.type);
      const format = STRING_FORMATS[name];
      definitions[name] = withDescription({ ...schema, ...(format ? { format } : {}) }, reader.docComment(statement));
    }
  }
}

class ModuleReader {
  constructor(
    private readonly text: string,
    private readonly names: ReadonlyMap<string, string>,
  ) {}

  objectSchema(name: string, declaration: ts.InterfaceDeclaration): OpenApiSchema {
    const properties: Record<string, OpenApiSchema> = {};
    const required: string[] = [];
    const literals = new Map<string, string>();
    for (const member of declaration.members) {
      if (!ts.isPropertySignature(member) || !member.type) continue;
      const field = propertyName(member.name);
      const literal = stringLiteral(member.type);
      if (literal !== undefined) literals.set(field, literal);
      const schema = FLOAT_FIELDS[name]?.includes(field)
        ? { type: 'number' as const, format: 'double' }
        : this.schemaOf(member.type);
      properties[field] = withDescription(schema, this.docComment(member));
      if (!member.questionToken) required.push(field);
    }
    const schema: OpenApiSchema = withDescription({}, this.docComment(declaration));
    if (!ANY_JSON_VALUE.has(name)) schema.type = 'object';
    if (Object.keys(properties).length > 0) schema.properties = properties;
    if (required.length > 0) schema.required = required;
    const gvk = groupVersionKind(literals.get('apiVersion'), literals.get('kind'));
    if (gvk) schema['x-kubernetes-group-version-kind'] = [gvk];
    return schema;
  }

  schemaOf(node: ts.TypeNode): OpenApiSchema {
    switch (node.kind) {
      case ts.SyntaxKind.StringKeyword:
        return { type: 'string' };
      case ts.SyntaxKind.NumberKeyword:
        return { type: 'integer' };
      case ts.SyntaxKind.BooleanKeyword:
        return { type: 'boolean' };
      case ts.SyntaxKind.AnyKeyword:
      case ts.SyntaxKind.UnknownKeyword:
        return {};
    }
    if (ts.isLiteralTypeNode(node)) {
      if (ts.isStringLiteral(node.literal)) return { type: 'string' };
      if (ts.isNumericLiteral(node.literal)) return { type: 'integer' };
      return { type: 'boolean' };
    }
    if (ts.isParenthesizedTypeNode(node)) return this.schemaOf(node.type);
    if (ts.isArrayTypeNode(node)) return { type: 'array', items: this.schemaOf(node.elementType) };
    if (ts.isTypeReferenceNode(node)) {
      const referenced = node.typeName.getText();
      const [element] = node.typeArguments ?? [];
      if (referenced === 'Array' && element) return { type: 'array', items: this.schemaOf(element) };
      const target = this.names.get(referenced);
      if (!target) throw new Error(`kubernetes-types: unknown type ${referenced}`);
      return { $ref: definitionRef(target) };
    }
    if (ts.isUnionTypeNode(node)) {
      const kinds = new Set(node.types.map((member) => member.kind));
      const intOrString = kinds.size === 2 && kinds.has(ts.SyntaxKind.NumberKeyword) && kinds.has(ts.SyntaxKind.StringKeyword);
      return intOrString ? { $ref: definitionRef(INT_OR_STRING) } : {};
    }
    if (ts.isTypeLiteralNode(node)) {
      const index = node.members.find(ts.isIndexSignatureDeclaration);
      if (index) return { type: 'object', additionalProperties: this.schemaOf(index.type) };
    }
    throw new Error(`kubernetes-types: unsupported type syntax ${ts.SyntaxKind[node.kind]}: ${node.getText()}`);
  }

  /** The text of the `/** … *\/` comment right before a node, without comment markers. */
  docComment(node: ts.Node): string | undefined {
    const ranges = ts.getLeadingCommentRanges(this.text, node.getFullStart()) ?? [];
    const doc = ranges.filter((range) => this.text.startsWith('/**', range.pos)).at(-1);
    if (!doc) return undefined;
    const lines = this.text.slice(doc.pos + 3, doc.end - 2).split('\n');
    const body = lines.map((line, index) => (index === 0 ? line : line.replace(/^\s*\* ?/, ''))).join('\n');
    return body.trim() || undefined;
  }
}

function withDescription(schema: OpenApiSchema, description: string | undefined): OpenApiSchema {
  return description === undefined ? schema : { description, ...schema };
}

function propertyName(name: ts.PropertyName): string {
  return ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : name.getText();
}

function stringLiteral(node: ts.TypeNode): string | undefined {
  return ts.isLiteralTypeNode(node) && ts.isStringLiteral(node.literal) ? node.literal.text : undefined;
}

function groupVersionKind(apiVersion: string | undefined, kind: string | undefined): GroupVersionKind | undefined {
  if (apiVersion === undefined || kind === undefined) return undefined;
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', kind, version: apiVersion }
    : { group: apiVersion.slice(0, slash), kind, version: apiVersion.slice(slash + 1) };
}
