/**
 * The data a ControllerRevision of a StatefulSet or DaemonSet stores (upstream
 * `getPatch`): a strategic merge patch replacing the owner's pod template,
 * `{"spec":{"template":{…,"$patch":"replace"}}}`, serialized with sorted keys (as Go
 * re-encodes a map) so equal templates give equal bytes.
 */
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import { isPlainObject } from '../../api/object.js';

/** `value` as JSON with the keys of every object sorted. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  if (isPlainObject(value)) {
    const keys = Object.keys(value).filter((key) => value[key] !== undefined).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The patch that replaces an owner's template with `template`. */
export function templatePatch(template: PodTemplateSpec | undefined): Record<string, unknown> {
  return { spec: { template: { ...structuredClone(template ?? {}), $patch: 'replace' } } };
}

/** The template a revision's data holds (undefined when the data is no template patch). */
export function templateOfPatch(data: unknown): PodTemplateSpec | undefined {
  if (!isPlainObject(data) || !isPlainObject(data.spec) || !isPlainObject(data.spec.template)) return undefined;
  const { $patch: _replace, ...template } = data.spec.template;
  return template as PodTemplateSpec;
}
