/**
 * The v2 document in the protobuf encoding kubectl asks for
 * (`Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf`): the
 * `openapi.v2.Document` message of gnostic's OpenAPIv2.proto. kubectl up to 1.28
 * fetches `/openapi/v2` only this way, and fails explain, create and apply when it
 * cannot. Field numbers below are that message set's; vendor extensions travel as
 * YAML text (JSON is valid YAML), as gnostic stores them.
 */
import protobuf from 'protobufjs/minimal.js';
import type { OpenApiSchema } from './schema.js';
import { ServedDocument } from './servedDocument.js';
import { openApiV2Document, type V2Operation, type V2Parameter, type V2PathItem } from './v2Document.js';

/** The content type upstream answers protobuf OpenAPI v2 requests with. */
export const OPENAPI_V2_PROTOBUF_TYPE = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

type Writer = protobuf.Writer;

const LENGTH_DELIMITED = 2;
const VARINT = 0;

function text(w: Writer, field: number, value: string | undefined): void {
  if (value) w.uint32((field << 3) | LENGTH_DELIMITED).string(value);
}

function texts(w: Writer, field: number, values: readonly string[] | undefined): void {
  for (const value of values ?? []) w.uint32((field << 3) | LENGTH_DELIMITED).string(value);
}

function flag(w: Writer, field: number, value: boolean | undefined): void {
  if (value) w.uint32((field << 3) | VARINT).bool(true);
}

function nested(w: Writer, field: number, body: (w: Writer) => void): void {
  w.uint32((field << 3) | LENGTH_DELIMITED).fork();
  body(w);
  w.ldelim();
}

/** NamedAny { name = 1; Any value = 2 { yaml = 2 } }. */
function vendorExtensions(w: Writer, field: number, holder: object): void {
  for (const [name, value] of Object.entries(holder)) {
    if (!name.startsWith('x-')) continue;
    nested(w, field, (named) => {
      text(named, 1, name);
      nested(named, 2, (any) => text(any, 2, `${JSON.stringify(value)}\n`));
    });
  }
}

/** NamedX { name = 1; X value = 2 } for each entry. */
function namedEntries<T>(w: Writer, field: number, entries: Record<string, T>, body: (w: Writer, value: T) => void): void {
  for (const [name, value] of Object.entries(entries)) {
    nested(w, field, (named) => {
      text(named, 1, name);
      nested(named, 2, (inner) => body(inner, value));
    });
  }
}

function schema(w: Writer, s: OpenApiSchema): void {
  text(w, 1, s.$ref);
  text(w, 2, s.format);
  text(w, 4, s.description);
  texts(w, 19, s.required);
  const additional = s.additionalProperties;
  if (additional !== undefined) {
    nested(w, 21, (item) => {
      if (typeof additional === 'boolean') item.uint32((2 << 3) | VARINT).bool(additional);
      else nested(item, 1, (inner) => schema(inner, additional));
    });
  }
  if (s.type) nested(w, 22, (typeItem) => text(typeItem, 1, s.type));
  const items = s.items;
  if (items) nested(w, 23, (itemsItem) => nested(itemsItem, 1, (inner) => schema(inner, items)));
  for (const member of s.allOf ?? []) nested(w, 24, (inner) => schema(inner, member));
  if (s.properties) nested(w, 25, (properties) => namedEntries(properties, 1, s.properties ?? {}, schema));
  vendorExtensions(w, 31, s);
}

/** ParametersItem { Parameter parameter = 1 { BodyParameter = 1 | NonBodyParameter = 2 } }. */
function parameter(w: Writer, p: V2Parameter): void {
  nested(w, 1, (param) => {
    if (p.in === 'body') {
      nested(param, 1, (body) => {
        text(body, 1, p.description);
        text(body, 2, p.name);
        text(body, 3, p.in);
        flag(body, 4, p.required);
        if (p.schema) nested(body, 5, (inner) => schema(inner, p.schema ?? {}));
      });
      return;
    }
    nested(param, 2, (nonBody) => {
      // NonBodyParameter: query sub-schema = 3, path sub-schema = 4 (their field numbers differ after `name`).
      const isQuery = p.in === 'query';
      nested(nonBody, isQuery ? 3 : 4, (sub) => {
        flag(sub, 1, p.required);
        text(sub, 2, p.in);
        text(sub, 3, p.description);
        text(sub, 4, p.name);
        text(sub, isQuery ? 6 : 5, p.type);
        flag(sub, isQuery ? 20 : 19, p.uniqueItems);
      });
    });
  });
}

function operation(w: Writer, op: V2Operation): void {
  texts(w, 1, op.tags);
  text(w, 3, op.description);
  text(w, 5, op.operationId);
  texts(w, 6, op.produces);
  texts(w, 7, op.consumes);
  for (const p of op.parameters) nested(w, 8, (item) => parameter(item, p));
  nested(w, 9, (responses) => {
    namedEntries(responses, 1, op.responses, (value, response) => {
      nested(value, 1, (r) => {
        text(r, 1, response.description);
        const body = response.schema;
        if (body) nested(r, 2, (schemaItem) => nested(schemaItem, 1, (inner) => schema(inner, body)));
      });
    });
  });
  texts(w, 10, op.schemes);
  vendorExtensions(w, 13, op);
}

const OPERATION_FIELDS = { get: 2, put: 3, post: 4, delete: 5, patch: 8 } as const;

function pathItem(w: Writer, item: V2PathItem): void {
  for (const [method, field] of Object.entries(OPERATION_FIELDS)) {
    const op = item[method as keyof typeof OPERATION_FIELDS];
    if (op) nested(w, field, (inner) => operation(inner, op));
  }
  for (const p of item.parameters) nested(w, 9, (inner) => parameter(inner, p));
}

/** The v2 document as an `openapi.v2.Document` protobuf message. */
export function encodeOpenApiV2Protobuf(): Uint8Array {
  const doc = openApiV2Document();
  const w = protobuf.Writer.create();
  text(w, 1, doc.swagger);
  nested(w, 2, (info) => {
    text(info, 1, doc.info.title);
    text(info, 2, doc.info.version);
  });
  nested(w, 8, (paths) => namedEntries(paths, 2, doc.paths, pathItem));
  nested(w, 9, (definitions) => namedEntries(definitions, 1, doc.definitions, schema));
  for (const requirement of doc.security) {
    nested(w, 12, (req) => namedEntries(req, 1, requirement, (array, scopes) => texts(array, 1, scopes)));
  }
  nested(w, 13, (definitions) => namedEntries(definitions, 1, doc.securityDefinitions, (item, scheme) => {
    nested(item, 2, (apiKey) => {
      text(apiKey, 1, scheme.type);
      text(apiKey, 2, scheme.name);
      text(apiKey, 3, scheme.in);
      text(apiKey, 4, scheme.description);
    });
  }));
  return w.finish();
}

let served: ServedDocument | undefined;

/** The protobuf v2 document with ETag and gzip, encoded once. */
export function servedOpenApiV2Protobuf(): ServedDocument {
  served ??= new ServedDocument(Buffer.from(encodeOpenApiV2Protobuf()), OPENAPI_V2_PROTOBUF_TYPE);
  return served;
}
