/**
 * The pod metadata fields the downward API exposes to both env vars and volumes:
 * `metadata.name`, `metadata.namespace`, `metadata.uid` and single label or
 * annotation values (`metadata.labels['key']`).
 */
import type { Pod } from 'kubernetes-types/core/v1.js';

/** The value of `path` when it names one of those fields (missing label: ''); undefined for any other path. */
export function podMetadataField(pod: Pod, path: string): string | undefined {
  const meta = pod.metadata ?? {};
  const indexed = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(path);
  if (indexed !== null) {
    const map = indexed[1] === 'labels' ? meta.labels : meta.annotations;
    return map?.[indexed[2] as string] ?? '';
  }
  switch (path) {
    case 'metadata.name': return meta.name ?? '';
    case 'metadata.namespace': return meta.namespace ?? '';
    case 'metadata.uid': return meta.uid ?? '';
    default: return undefined;
  }
}
