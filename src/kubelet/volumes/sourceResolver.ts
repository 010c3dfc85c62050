/**
 * Where volume contents come from: ConfigMaps, Secrets and ServiceAccount tokens of
 * the API. The volume manager only sees this interface, so tests and other transports
 * can plug in their own; `clientSourceResolver` is the one over the REST client.
 */
import type { ConfigMap, Secret } from 'kubernetes-types/core/v1.js';

/** What a projected serviceAccountToken source asks the API for. */
export interface ServiceAccountTokenRequest {
  namespace: string;
  serviceAccountName: string;
  /** Empty: the API server's own audiences. */
  audiences: string[];
  expirationSeconds: number;
  /** The pod the token is bound to (invalid once the pod is gone). */
  boundPod: { name: string; uid: string };
}

/** Reads volume sources from the API. */
export interface VolumeSourceResolver {
  /** The ConfigMap, or undefined when it does not exist; other failures throw. */
  getConfigMap(namespace: string, name: string): Promise<ConfigMap | undefined>;
  /** The Secret, or undefined when it does not exist; other failures throw. */
  getSecret(namespace: string, name: string): Promise<Secret | undefined>;
  /** A token for the ServiceAccount (TokenRequest); a missing ServiceAccount or a refused request throws. */
  createServiceAccountToken(request: ServiceAccountTokenRequest): Promise<string>;
}
