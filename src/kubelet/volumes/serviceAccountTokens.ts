/**
 * The kubelet's cache of projected ServiceAccount tokens: one token per (pod,
 * ServiceAccount, audiences, lifetime), asked for again once 80% of its lifetime (or
 * 24 hours) has passed, as upstream's token manager does, so `refresh` rotates tokens
 * without asking the API on every pass.
 */
import type { Clock } from '../../client/clock.js';
import type { ServiceAccountTokenRequest, VolumeSourceResolver } from './sourceResolver.js';

const MAX_TOKEN_AGE_MS = 24 * 60 * 60 * 1000;

interface CachedToken {
  token: string;
  renewAtMs: number;
}

/** Tokens for projected serviceAccountToken sources, cached per pod. */
export class ServiceAccountTokens {
  readonly #resolver: VolumeSourceResolver;
  readonly #clock: Clock;
  readonly #cache = new Map<string, CachedToken>();

  constructor(resolver: VolumeSourceResolver, clock: Clock) {
    this.#resolver = resolver;
    this.#clock = clock;
  }

  /**
   * A token for `request`: the cached one while fresh, else a new one from the API.
   * Failures throw
   * `failed to fetch token: <cause>` as upstream reports them.
   */
  async token(request: ServiceAccountTokenRequest): Promise<string> {
    const key = JSON.stringify([request.boundPod.uid, request.namespace, request.serviceAccountName, request.audiences, request.expirationSeconds]);
    const now = this.#clock.now();
    const cached = this.#cache.get(key);
    if (cached !== undefined && now < cached.renewAtMs) return cached.token;
    let token: string;
    try {
      token = await this.#resolver.createServiceAccountToken(request);
    } catch (err) {
      throw new Error(`failed to fetch token: ${(err as Error).message}`);
    }
    const lifetimeMs = Math.min(request.expirationSeconds * 1000 * 0.8, MAX_TOKEN_AGE_MS);
    this.#cache.set(key, { token, renewAtMs: now + lifetimeMs });
    return token;
  }

  /** Forgets every token bound to the pod. */
  forgetPod(podUid: string): void {
    for (const key of this.#cache.keys()) {
      if ((JSON.parse(key) as string[])[0] === podUid) this.#cache.delete(key);
    }
  }
}
