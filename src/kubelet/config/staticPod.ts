/**
 * Static pods from manifest files (upstream's kubelet config common.go): parsing a
 * manifest (YAML or JSON, one Pod) and turning it into the pod the kubelet runs —
 * API defaults applied, named `<name>-<node>`, namespace default when empty, bound to
 * the node, a UID hashed from the manifest, the node and the file, the hash and
 * source annotations, and a toleration of every NoExecute taint.
 */
import { createHash } from 'node:crypto';
import type { Pod, Toleration } from 'kubernetes-types/core/v1.js';
import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';
import { parse } from 'yaml';
import { defaultPod } from '../../api/podDefaults.js';
import { CONFIG_HASH_ANNOTATION, CONFIG_SOURCE_ANNOTATION, FILE_SOURCE } from './podSource.js';

/** A manifest that is not a valid single Pod; its message says why. */
export class ManifestError extends Error {}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The Pod declared by manifest `text` (YAML, or JSON as a subset of it). Throws a
 * ManifestError for anything else: unparsable text, several documents, another kind,
 * no name, no containers, a container without name or image — and, as upstream 1.32's
 * kubelet, for ClusterTrustBundle projected volume sources and resource claims.
 * (Secrets, configMaps and service accounts are refused only from 1.34, behind
 * PreventStaticPodAPIReferences; in 1.32 only the mirror pod's admission refuses them.)
 */
export function parsePodManifest(text: string): Pod {
  let value: unknown;
  try {
    value = parse(text);
  } catch (err) {
    throw new ManifestError(err instanceof Error ? err.message : String(err));
  }
  if (!isRecord(value)) throw new ManifestError('the manifest is not an object');
  if (value.kind !== 'Pod' || value.apiVersion !== 'v1') throw new ManifestError(`want apiVersion v1, kind Pod; got ${String(value.apiVersion)}, ${String(value.kind)}`);
  const pod = value as Pod;
  if (!pod.metadata?.name) throw new ManifestError('invalid pod: name is needed for the pod');
  const containers = pod.spec?.containers;
  if (!Array.isArray(containers) || containers.length === 0) throw new ManifestError('spec.containers: Required value');
  containers.forEach((container, i) => {
    if (!container.name) throw new ManifestError(`spec.containers[${i}].name: Required value`);
    if (!container.image) throw new ManifestError(`spec.containers[${i}].image: Required value`);
  });
  if (pod.spec?.volumes?.some((volume) => volume.projected?.sources?.some((source) => source.clusterTrustBundle !== undefined))) {
    throw new ManifestError('static pods may not use ClusterTrustBundle projected volume sources');
  }
  if ((pod.spec?.resourceClaims ?? []).length > 0) throw new ManifestError('static pods may not use ResourceClaims');
  return pod;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const TOLERATE_NO_EXECUTE: Toleration = { operator: 'Exists', effect: 'NoExecute' };

function sameToleration(a: Toleration, b: Toleration): boolean {
  return (a.key ?? '') === (b.key ?? '') && (a.operator ?? 'Equal') === (b.operator ?? 'Equal')
    && (a.value ?? '') === (b.value ?? '') && (a.effect ?? '') === (b.effect ?? '');
}

/**
 * The static pod the kubelet runs for `manifest` read from file `path` on node
 * `nodeName`; `manifest` is left untouched. The UID (and config hash) stays the one
 * the manifest sets, if any, else is the MD5 of node, path and defaulted pod, so any
 * change of the file makes a new pod.
 */
export function staticPodFromManifest(manifest: Pod, path: string, nodeName: string): Pod {
  const pod = structuredClone(manifest) as Mutable<Pod>;
  defaultPod(pod);
  const metadata = (pod.metadata ??= {}) as Mutable<ObjectMeta>;
  const spec = pod.spec!;
  if (!metadata.uid) {
    metadata.uid = createHash('md5').update(`host:${nodeName}`).update(`file:${path}`).update(JSON.stringify(pod)).digest('hex');
  }
  metadata.name = `${metadata.name}-${nodeName.toLowerCase()}`;
  if (!metadata.namespace) metadata.namespace = 'default';
  spec.nodeName = nodeName;
  metadata.annotations = { ...metadata.annotations, [CONFIG_HASH_ANNOTATION]: metadata.uid, [CONFIG_SOURCE_ANNOTATION]: FILE_SOURCE };
  const tolerations = spec.tolerations ?? [];
  if (!tolerations.some((t) => sameToleration(t, TOLERATE_NO_EXECUTE))) spec.tolerations = [...tolerations, { ...TOLERATE_NO_EXECUTE }];
  pod.status = { phase: 'Pending' };
  return pod;
}
