/**
 * A set of field paths stored as a tree, with structured-merge-diff's set algebra
 * and its FieldsV1 encoding: each path element is a key; `{}` marks a member leaf;
 * `"."` marks a member that also has children.
 */
import type { PatchSchema } from '../patch/schema.js';
import {
  comparePathElements,
  parsePathElement,
  serializePathElement,
  type FieldPath,
  type PathElement,
} from './path-element.js';
import { childSchemaFor } from './shape.js';

/** The FieldsV1 wire form. */
export type FieldsV1 = { [key: string]: FieldsV1 };

/** An immutable-by-convention set of field paths. Operations return new sets. */
export class FieldSet {
  /** Path elements that are members here, by serialized key. */
  private readonly members = new Map<string, PathElement>();
  /** Sub-sets under path elements, by serialized key; never empty. */
  private readonly children = new Map<string, { pe: PathElement; set: FieldSet }>();

  /** A set holding `paths`. */
  static of(...paths: FieldPath[]): FieldSet {
    const set = new FieldSet();
    for (const path of paths) set.insert(path);
    return set;
  }

  /** Adds `path` (mutates; for building sets). An empty path is ignored. */
  insert(path: FieldPath): void {
    const [head, ...rest] = path;
    if (head === undefined) return;
    const key = serializePathElement(head);
    if (rest.length === 0) {
      this.members.set(key, head);
      return;
    }
    let child = this.children.get(key);
    if (child === undefined) {
      child = { pe: head, set: new FieldSet() };
      this.children.set(key, child);
    }
    child.set.insert(rest);
  }

  /** True if `path` is a member. */
  has(path: FieldPath): boolean {
    const [head, ...rest] = path;
    if (head === undefined) return false;
    const key = serializePathElement(head);
    if (rest.length === 0) return this.members.has(key);
    return this.children.get(key)?.set.has(rest) ?? false;
  }

  /** True if the set has no members at any depth. */
  isEmpty(): boolean {
    return this.members.size === 0 && this.children.size === 0;
  }

  /** The members under `pe` (paths relative to it), possibly empty. */
  withPrefix(pe: PathElement): FieldSet {
    return this.children.get(serializePathElement(pe))?.set ?? new FieldSet();
  }

  /** Members in either set. */
  union(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [k, pe] of [...this.members, ...other.members]) out.members.set(k, pe);
    for (const [k, { pe, set }] of this.children) out.children.set(k, { pe, set });
    for (const [k, { pe, set }] of other.children) {
      const mine = out.children.get(k);
      out.children.set(k, { pe, set: mine === undefined ? set : mine.set.union(set) });
    }
    return out;
  }

  /** Members of this set that are not members of `other`. */
  difference(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [k, pe] of this.members) if (!other.members.has(k)) out.members.set(k, pe);
    for (const [k, { pe, set }] of this.children) {
      const theirs = other.children.get(k);
      const rest = theirs === undefined ? set : set.difference(theirs.set);
      if (!rest.isEmpty()) out.children.set(k, { pe, set: rest });
    }
    return out;
  }

  /** Members of both sets. */
  intersection(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [k, pe] of this.members) if (other.members.has(k)) out.members.set(k, pe);
    for (const [k, { pe, set }] of this.children) {
      const theirs = other.children.get(k);
      if (theirs === undefined) continue;
      const both = set.intersection(theirs.set);
      if (!both.isEmpty()) out.children.set(k, { pe, set: both });
    }
    return out;
  }

  /** The set without any member at or below the given paths. */
  withoutSubtrees(prefixes: readonly FieldPath[]): FieldSet {
    return prefixes.reduce<FieldSet>((set, prefix) => set.removeSubtree(prefix), this);
  }

  private removeSubtree(prefix: FieldPath): FieldSet {
    const [head, ...rest] = prefix;
    if (head === undefined) return new FieldSet();
    const key = serializePathElement(head);
    const out = this.copy();
    if (rest.length === 0) {
      out.members.delete(key);
      out.children.delete(key);
      return out;
    }
    const child = out.children.get(key);
    if (child !== undefined) {
      const pruned = child.set.removeSubtree(rest);
      if (pruned.isEmpty()) out.children.delete(key);
      else out.children.set(key, { pe: child.pe, set: pruned });
    }
    return out;
  }

  /**
   * The set with every declared struct field that has members below it made a
   * member too (structured-merge-diff's EnsureNamedFieldsAreMembers).
   */
  withNamedFieldsAsMembers(schema: PatchSchema | undefined): FieldSet {
    const out = new FieldSet();
    for (const [k, pe] of this.members) out.members.set(k, pe);
    for (const [k, { pe, set }] of this.children) {
      if (pe.kind === 'field' && schema?.property(pe.name) !== undefined) out.members.set(k, pe);
      out.children.set(k, { pe, set: set.withNamedFieldsAsMembers(childSchemaFor(schema, pe)) });
    }
    return out;
  }

  /** Every member path, in FieldsV1 order (a member before its children). */
  paths(): FieldPath[] {
    const out: FieldPath[] = [];
    for (const { pe, member, child } of this.sortedEntries()) {
      if (member) out.push([pe]);
      if (child !== undefined) for (const sub of child.paths()) out.push([pe, ...sub]);
    }
    return out;
  }

  /** The FieldsV1 encoding. */
  toFieldsV1(): FieldsV1 {
    const out: FieldsV1 = {};
    for (const { key, member, child } of this.sortedEntries()) {
      if (child === undefined) {
        out[key] = {};
      } else {
        out[key] = member ? { '.': {}, ...child.toFieldsV1() } : child.toFieldsV1();
      }
    }
    return out;
  }

  /** Decodes FieldsV1; throws on malformed input. */
  static fromFieldsV1(fields: unknown): FieldSet {
    const set = new FieldSet();
    if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) throw new Error('FieldsV1 must be an object');
    for (const [key, sub] of Object.entries(fields)) {
      if (key === '.') continue;
      const pe = parsePathElement(key);
      if (typeof sub !== 'object' || sub === null || Array.isArray(sub)) throw new Error(`FieldsV1 entry ${key} must be an object`);
      const entries = Object.keys(sub);
      if (entries.length === 0 || Object.hasOwn(sub, '.')) set.members.set(key, pe);
      const child = FieldSet.fromFieldsV1(sub);
      if (!child.isEmpty()) set.children.set(key, { pe, set: child });
    }
    return set;
  }

  private copy(): FieldSet {
    const out = new FieldSet();
    for (const [k, pe] of this.members) out.members.set(k, pe);
    for (const [k, c] of this.children) out.children.set(k, c);
    return out;
  }

  private sortedEntries(): { key: string; pe: PathElement; member: boolean; child: FieldSet | undefined }[] {
    const keys = new Map<string, PathElement>();
    for (const [k, pe] of this.members) keys.set(k, pe);
    for (const [k, { pe }] of this.children) keys.set(k, pe);
    return [...keys]
      .sort(([, a], [, b]) => comparePathElements(a, b))
      .map(([key, pe]) => ({ key, pe, member: this.members.has(key), child: this.children.get(key)?.set }));
  }
}
