/**
 * The pod-template-hash of a deployment's template (upstream `ComputeHash`): a 32-bit
 * FNV-1a over the template, then over `collisionCount` as a little-endian uint32 when
 * set, written in decimal and mapped into upstream's safe alphabet (no vowels, no
 * look-alikes), so the name `<deployment>-<hash>` never spells words. Upstream feeds
 * FNV a Go dump of its internal structs; here the template's canonical JSON is
 * hashed, so values differ from upstream's but keep every property users rely on:
 * stable for one template, different for another, and bumped by `collisionCount`.
 */
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import { fnv1a, safeEncode } from '../../api/safeNames.js';
import { canonical } from './replicaSetSets.js';

/** The pod-template-hash for `template` and the deployment's `collisionCount`. */
export function podTemplateHash(template: PodTemplateSpec | undefined, collisionCount: number | undefined): string {
  let hash = fnv1a(new TextEncoder().encode(JSON.stringify(canonical(template ?? {}))));
  if (collisionCount !== undefined && collisionCount !== null) {
    const count = new Uint8Array(4);
    new DataView(count.buffer).setUint32(0, collisionCount >>> 0, true);
    hash = fnv1a(count, hash);
  }
  return safeEncode(String(hash));
}
