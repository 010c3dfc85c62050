/**
 * The payload of a downwardAPI volume (or projected source): pod metadata fields and
 * container resources as files. Labels and annotations are rendered as upstream's
 * FormatMap does: `key="value"` lines sorted by key, values Go-quoted, no final newline.
 */
import type { Container, DownwardAPIVolumeFile, Pod } from 'kubernetes-types/core/v1.js';
import { parseQuantity } from '../../api/quantity.js';
import { podMetadataField } from '../pod/metadataField.js';
import type { Payload } from './atomicWriter.js';
import { VolumeSourceError } from './errors.js';

/** Node facts resourceFieldRef falls back to when a container sets no limit. */
export interface NodeFacts {
  /** Node allocatable (`cpu`, `memory`, `ephemeral-storage`). */
  allocatable?: Record<string, string>;
}

function goQuote(value: string): string {
  let out = '"';
  for (const char of value) {
    const code = char.codePointAt(0) as number;
    if (char === '"' || char === '\\') out += `\\${char}`;
    else if (char === '\n') out += '\\n';
    else if (char === '\t') out += '\\t';
    else if (char === '\r') out += '\\r';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += char;
  }
  return `${out}"`;
}

/** Upstream's FormatMap: sorted `key="value"` lines. */
export function formatMap(map: Record<string, string> | undefined): string {
  return Object.keys(map ?? {})
    .sort()
    .map((key) => `${key}=${goQuote((map as Record<string, string>)[key] as string)}`)
    .join('\n');
}

function fieldValue(pod: Pod, path: string): string {
  const metadata = podMetadataField(pod, path);
  if (metadata !== undefined) return metadata;
  const meta = pod.metadata ?? {};
  switch (path) {
    case 'metadata.labels': return formatMap(meta.labels);
    case 'metadata.annotations': return formatMap(meta.annotations);
    default: throw new VolumeSourceError(`unsupported fieldPath: ${path}`);
  }
}

function resourceValue(pod: Pod, file: DownwardAPIVolumeFile, node: NodeFacts): string {
  const ref = file.resourceFieldRef as NonNullable<DownwardAPIVolumeFile['resourceFieldRef']>;
  const containers: Container[] = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  const container = containers.find((candidate) => candidate.name === ref.containerName);
  if (container === undefined) throw new VolumeSourceError(`cannot find container: ${ref.containerName ?? ''}`);
  const [kind, name] = ref.resource.split('.', 2) as [string, string | undefined];
  if ((kind !== 'limits' && kind !== 'requests') || (name !== 'cpu' && name !== 'memory' && name !== 'ephemeral-storage')) {
    throw new VolumeSourceError(`unsupported container resource : ${ref.resource}`);
  }
  const limit = container.resources?.limits?.[name] ?? node.allocatable?.[name];
  const raw = kind === 'limits' ? limit : container.resources?.requests?.[name] ?? container.resources?.limits?.[name];
  const value = parseQuantity(String(raw ?? '0'));
  const divisor = parseQuantity(String(ref.divisor ?? '1'));
  if (name === 'cpu') return String(Math.ceil(value.milliValue() / Math.max(1, divisor.milliValue())));
  return String(Math.ceil(value.value() / Math.max(1, divisor.value())));
}

/** The files `items` describe for `pod`; each mode is the item's or `defaultMode`. */
export function downwardApiPayload(pod: Pod, items: DownwardAPIVolumeFile[], defaultMode: number, node: NodeFacts): Payload {
  const payload: Payload = new Map();
  for (const item of items) {
    let value: string;
    if (item.fieldRef !== undefined) value = fieldValue(pod, item.fieldRef.fieldPath);
    else if (item.resourceFieldRef !== undefined) value = resourceValue(pod, item, node);
    else continue;
    payload.set(item.path, { data: Buffer.from(value, 'utf8'), mode: item.mode ?? defaultMode });
  }
  return payload;
}
