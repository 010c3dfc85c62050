/**
 * Maintenance step (not part of the build): extracts the protobuf fact table the API
 * server decodes `application/vnd.kubernetes.protobuf` request bodies with, from
 * upstream's Go API types, and writes it to src/apiserver/protobuf/messages.json
 * (committed). The roots are every kind a request body may carry for the resources of
 * src/api/resources.ts; every struct they reach is included. The facts are
 * cross-checked against upstream's generated.proto files; any mismatch fails the run.
 *
 * Run against checkouts of the Kubernetes release k8ts follows, for example:
 *   git clone --depth 1 -b v0.32.13 https://github.com/kubernetes/api /tmp/api
 *   git clone --depth 1 -b v0.32.13 https://github.com/kubernetes/apimachinery /tmp/apimachinery
 *   npx tsc -p tsconfig.json
 *   node dist/scripts/generate-protobuf-schema.js --api /tmp/api --apimachinery /tmp/apimachinery --upstream-version v0.32.13
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { apiVersionOf, RESOURCES } from '../src/api/resources.js';
import type { FieldFact, ProtobufSchema } from '../src/apiserver/protobuf/schema.js';
import { crossCheck } from './protobuf-schema/crossCheck.js';
import { MessageCollector, type SourceTrees } from './protobuf-schema/messageCollector.js';
import { readProtoFile, type ProtoField } from './protobuf-schema/protoFile.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DEFAULT_OUT = path.join(REPO_ROOT, 'src/apiserver/protobuf/messages.json');
const META_V1 = 'k8s.io/apimachinery/pkg/apis/meta/v1';

/** Body kinds that are not resources or subresources of the catalog. */
const EXTRA_BODY_KINDS = [{ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest' }];

/** apiVersion → Go import path, from the `const GroupName = "..."` of every k8s.io/api package. */
function groupVersionPackages(apiTree: string): Map<string, string> {
  const packages = new Map<string, string>([['meta.k8s.io/v1', META_V1]]);
  for (const group of readdirSync(apiTree, { withFileTypes: true })) {
    if (!group.isDirectory()) continue;
    for (const version of readdirSync(path.join(apiTree, group.name), { withFileTypes: true })) {
      const register = path.join(apiTree, group.name, version.name, 'register.go');
      if (!version.isDirectory() || !existsSync(register)) continue;
      const groupName = /^const GroupName = "([^"]*)"/m.exec(readFileSync(register, 'utf8'))?.[1];
      if (groupName !== undefined) packages.set(apiVersionOf(groupName, version.name), `k8s.io/api/${group.name}/${version.name}`);
    }
  }
  return packages;
}

/** Every (apiVersion, kind) a request body may carry. */
function bodyKinds(): { apiVersion: string; kind: string }[] {
  const kinds = new Map<string, { apiVersion: string; kind: string }>();
  const add = (apiVersion: string, kind: string): void => void kinds.set(`${apiVersion} ${kind}`, { apiVersion, kind });
  for (const info of RESOURCES) {
    add(apiVersionOf(info.group, info.version), info.kind);
    add(apiVersionOf(info.group, info.version), 'DeleteOptions');
    for (const sub of info.subresources) add(apiVersionOf(sub.group ?? info.group, sub.version ?? info.version), sub.kind);
  }
  for (const extra of EXTRA_BODY_KINDS) add(extra.apiVersion, extra.kind);
  add('meta.k8s.io/v1', 'DeleteOptions');
  return [...kinds.values()];
}

/** The table as JSON text, one message per line so that diffs stay readable. */
function render(schema: ProtobufSchema): string {
  const messages = Object.entries(schema.messages).map(([name, fields]) => `    ${JSON.stringify(name)}: ${JSON.stringify(fields)}`);
  const kinds = Object.entries(schema.kinds).map(([apiVersion, byKind]) => `    ${JSON.stringify(apiVersion)}: ${JSON.stringify(byKind)}`);
  return `{\n  "source": ${JSON.stringify(schema.source)},\n  "kinds": {\n${kinds.join(',\n')}\n  },\n  "messages": {\n${messages.join(',\n')}\n  }\n}\n`;
}

function main(): void {
  const { values } = parseArgs({
    options: { api: { type: 'string' }, apimachinery: { type: 'string' }, 'upstream-version': { type: 'string' }, out: { type: 'string' } },
  });
  if (values.api === undefined || values.apimachinery === undefined || values['upstream-version'] === undefined) {
    console.error('usage: generate-protobuf-schema --api DIR --apimachinery DIR --upstream-version vX.Y.Z [--out FILE]');
    process.exit(2);
  }
  const trees: SourceTrees = { api: values.api, apimachinery: values.apimachinery };
  const packages = groupVersionPackages(trees.api);
  const collector = new MessageCollector(trees);
  const kinds: Record<string, Record<string, string>> = {};
  for (const { apiVersion, kind } of bodyKinds().sort((a, b) => (a.apiVersion + a.kind < b.apiVersion + b.kind ? -1 : 1))) {
    const importPath = kind === 'DeleteOptions' ? META_V1 : packages.get(apiVersion);
    if (importPath === undefined) throw new Error(`no k8s.io/api package for ${apiVersion}`);
    (kinds[apiVersion] ??= {})[kind] = collector.addRoot(importPath, kind);
  }
  const collected = collector.collect();
  const protoFiles = new Map<string, Map<string, Map<number, ProtoField>>>();
  const protoOf = (importPath: string): Map<string, Map<number, ProtoField>> => {
    let messages = protoFiles.get(importPath);
    if (messages === undefined) protoFiles.set(importPath, (messages = readProtoFile(collector.packageDir(importPath))));
    return messages;
  };
  const problems = crossCheck(collected, collector.wrappedLists(), protoOf);
  if (problems.length > 0) {
    for (const problem of problems) console.error(`generate-protobuf-schema: ${problem}`);
    process.exit(1);
  }
  const messages: Record<string, FieldFact[]> = {};
  for (const message of collected) messages[message.name] = message.fields.map((f) => f.fact);
  const source = `k8s.io/api and k8s.io/apimachinery ${values['upstream-version']}`;
  const out = values.out ?? DEFAULT_OUT;
  writeFileSync(out, render({ source, kinds, messages }));
  console.log(`generate-protobuf-schema: ${collected.length} messages → ${path.relative(process.cwd(), out)}`);
}

main();
