/**
 * A reader for the gofmt-formatted Go files of upstream API packages: it finds the
 * type declarations (structs with their fields and struct tags, named types with
 * their underlying type and `// +marker` comments) and each file's imports. It reads
 * only the regular layout go-to-protobuf's inputs use and rejects what it cannot read.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** One field of a struct declaration. */
export interface GoField {
  /** Field name; for an embedded field, the embedded type as written. */
  name: string;
  embedded: boolean;
  /** The type expression as written: `*metav1.Time`, `[]Container`, `map[string]string`. */
  type: string;
  /** The struct tag without its back quotes; empty when untagged. */
  tag: string;
}

/** A type declaration, with the imports of the file that declares it. */
export type GoDeclaration =
  | { form: 'struct'; name: string; fields: GoField[]; imports: ReadonlyMap<string, string> }
  | { form: 'named'; name: string; underlying: string; markers: readonly string[]; imports: ReadonlyMap<string, string> };

/** Every type declared by the package in `dir`, by name. */
export function readGoPackage(dir: string): Map<string, GoDeclaration> {
  const declarations = new Map<string, GoDeclaration>();
  for (const file of readdirSync(dir).sort()) {
    if (!isHandWrittenSource(file)) continue;
    for (const declaration of readGoFile(readFileSync(path.join(dir, file), 'utf8'))) declarations.set(declaration.name, declaration);
  }
  return declarations;
}

function isHandWrittenSource(file: string): boolean {
  return file.endsWith('.go') && !file.endsWith('_test.go') && !file.startsWith('zz_generated') && !file.includes('generated');
}

/** The import alias → import path table of one file; unaliased imports go by their last path element. */
function readImports(text: string): Map<string, string> {
  const imports = new Map<string, string>();
  const add = (spec: string): void => {
    const match = /^(?:([\w.]+)\s+)?"([^"]+)"/.exec(spec.trim());
    if (match === null) return;
    const importPath = match[2] ?? '';
    imports.set(match[1] ?? importPath.slice(importPath.lastIndexOf('/') + 1), importPath);
  };
  for (const single of text.matchAll(/^import\s+((?:[\w.]+\s+)?"[^"]+")/gm)) add(single[1] ?? '');
  for (const block of text.matchAll(/^import \(\n([\s\S]*?)^\)/gm)) {
    for (const line of (block[1] ?? '').split('\n')) add(line);
  }
  return imports;
}

/** The type declarations of one file. */
export function readGoFile(text: string): GoDeclaration[] {
  const imports = readImports(text);
  const lines = text.split('\n');
  const declarations: GoDeclaration[] = [];
  let comments: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.startsWith('//')) {
      comments.push(line);
      continue;
    }
    const markers = comments.map((c) => c.slice(2).trim()).filter((c) => c.startsWith('+'));
    comments = [];
    const struct = /^type (\w+) struct ?\{(\})?\s*$/.exec(line);
    if (struct !== null) {
      const body: string[] = [];
      if (struct[2] === undefined) {
        while (++i < lines.length && lines[i] !== '}') body.push(lines[i] ?? '');
      }
      declarations.push({ form: 'struct', name: struct[1] ?? '', fields: readFields(body), imports });
      continue;
    }
    if (/^type \w+ interface \{\s*$/.test(line)) {
      while (++i < lines.length && lines[i] !== '}');
      continue;
    }
    if (line === 'type (') {
      while (++i < lines.length && lines[i] !== ')') {
        const inner = /^\t(\w+)\s+(?:=\s*)?([^\s/]+)/.exec(lines[i] ?? '');
        if (inner !== null) declarations.push({ form: 'named', name: inner[1] ?? '', underlying: inner[2] ?? '', markers: [], imports });
      }
      continue;
    }
    const named = /^type (\w+)\s+(?:=\s*)?([^\s/]+)/.exec(line);
    if (named !== null) declarations.push({ form: 'named', name: named[1] ?? '', underlying: named[2] ?? '', markers, imports });
  }
  return declarations;
}

/** Reads the field lines of a struct body; a nested struct literal becomes a field of type `struct`. */
function readFields(body: readonly string[]): GoField[] {
  const fields: GoField[] = [];
  for (let i = 0; i < body.length; i++) {
    const text = (body[i] ?? '').trim();
    if (text.startsWith('/*')) {
      while (!(body[i] ?? '').includes('*/') && i < body.length) i++;
      continue;
    }
    if (text === '' || text.startsWith('//')) continue;
    const tagStart = text.indexOf('`');
    const head = (tagStart < 0 ? text.replace(/\s*\/\/.*$/, '') : text.slice(0, tagStart)).trim();
    const tag = tagStart < 0 ? '' : text.slice(tagStart + 1, text.indexOf('`', tagStart + 1));
    if (head.endsWith('{')) {
      let depth = 1;
      while (depth > 0 && ++i < body.length) {
        const inner = body[i] ?? '';
        depth += (inner.match(/\{/g) ?? []).length - (inner.match(/\}/g) ?? []).length;
      }
      fields.push({ name: head.split(/\s+/)[0] ?? '', embedded: false, type: 'struct', tag: '' });
      continue;
    }
    const tokens = head.split(/\s+/);
    if (tokens.length === 1) fields.push({ name: tokens[0] ?? '', embedded: true, type: tokens[0] ?? '', tag });
    else fields.push({ name: tokens[0] ?? '', embedded: false, type: tokens.slice(1).join(' '), tag });
  }
  return fields;
}

/** The value of `key` in a struct tag (`json:"name,omitempty" protobuf:"bytes,1,opt,name=name"`), if present. */
export function tagValue(tag: string, key: string): string | undefined {
  for (const match of tag.matchAll(/(\w+):"((?:[^"\\]|\\.)*)"/g)) {
    if (match[1] === key) return match[2];
  }
  return undefined;
}
