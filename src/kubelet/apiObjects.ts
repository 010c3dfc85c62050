/** API objects as the kubelet reads them through the client (metadata always present). */
import type { ConfigMap, Pod, Secret } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../api/object.js';

/** A Pod from the API. */
export type PodObject = KubeObject & Pod;
/** A ConfigMap from the API. */
export type ConfigMapObject = KubeObject & ConfigMap;
/** A Secret from the API. */
export type SecretObject = KubeObject & Secret;
