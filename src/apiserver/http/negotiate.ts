/**
 * Content negotiation on the Accept header: plain JSON/YAML, Table and
 * PartialObjectMetadata(List) views, aggregated discovery. Protobuf-only clients get
 * JSON, as upstream falls back.
 */

/** What the response body should be. */
export type ResponseView =
  | { kind: 'object'; format: 'json' | 'yaml' }
  | { kind: 'table'; version: 'v1' | 'v1beta1' }
  | { kind: 'partialMetadata'; version: 'v1' | 'v1beta1' }
  | { kind: 'discoveryV2'; version: 'v2' | 'v2beta1' };

interface MediaRange {
  type: string;
  params: Record<string, string>;
}

function parseAccept(header: string | undefined): MediaRange[] {
  if (header === undefined || header.trim() === '') return [];
  return header.split(',').map((part) => {
    const [type = '', ...rawParams] = part.split(';').map((s) => s.trim());
    const params: Record<string, string> = {};
    for (const p of rawParams) {
      const eq = p.indexOf('=');
      if (eq > 0) params[p.slice(0, eq).trim().toLowerCase()] = p.slice(eq + 1).trim();
    }
    return { type: type.toLowerCase(), params };
  });
}

/** Picks the first Accept entry k8ts can serve; JSON otherwise. */
export function negotiateView(accept: string | undefined): ResponseView {
  for (const range of parseAccept(accept)) {
    const { type, params } = range;
    const jsonLike = type === 'application/json' || type === 'application/*' || type === '*/*' || type === 'application/vnd.kubernetes.protobuf';
    if (params.as === 'Table' && params.g === 'meta.k8s.io' && jsonLike) {
      return { kind: 'table', version: params.v === 'v1beta1' ? 'v1beta1' : 'v1' };
    }
    if ((params.as === 'PartialObjectMetadata' || params.as === 'PartialObjectMetadataList') && params.g === 'meta.k8s.io' && jsonLike) {
      return { kind: 'partialMetadata', version: params.v === 'v1beta1' ? 'v1beta1' : 'v1' };
    }
    if (params.as === 'APIGroupDiscoveryList' && params.g === 'apidiscovery.k8s.io' && jsonLike) {
      if (params.v === 'v2' || params.v === 'v2beta1') return { kind: 'discoveryV2', version: params.v };
      continue;
    }
    if (params.as !== undefined) continue;
    if (type === 'application/yaml') return { kind: 'object', format: 'yaml' };
    if (jsonLike) return { kind: 'object', format: 'json' };
  }
  return { kind: 'object', format: 'json' };
}
