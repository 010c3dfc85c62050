/**
 * Makes a container's image present per its imagePullPolicy, with upstream's waiting
 * reasons: ErrImageNeverPull, ErrImagePull, and ImagePullBackOff while a failed pull
 * of the same image for the same pod backs off (10 s doubling to 5 min). Tells its
 * events (Pulling, Pulled, Failed, BackOff, ErrImageNeverPull) as upstream's image manager does.
 */
import { status as GrpcStatus } from '@grpc/grpc-js';
import type { Container, Pod, Secret } from 'kubernetes-types/core/v1.js';
import type { Clock } from '../client/index.js';
import type { CriClient } from '../runtime/cri/client.js';
import { CriError } from '../runtime/cri/errors.js';
import type { AuthConfig, Image } from '../runtime/cri/types.js';
import { DockerKeyring } from './dockerKeyring.js';
import { BackOff } from './pod/backoff.js';
import type { StartFailure } from './pod/runtimeTypes.js';

/** The outcome of `ensureImage`: the image, or why the container cannot start yet. */
export type ImageResult = { ok: true; image: Image | undefined } | { ok: false; failure: StartFailure; retryAfterMs?: number };

/** The pull policy the API defaults to when unset: Always for `:latest` or no tag, else IfNotPresent. */
export function effectivePullPolicy(container: Container): 'Always' | 'IfNotPresent' | 'Never' {
  if (container.imagePullPolicy === 'Always' || container.imagePullPolicy === 'IfNotPresent' || container.imagePullPolicy === 'Never') return container.imagePullPolicy;
  const image = container.image ?? '';
  if (image.includes('@')) return 'IfNotPresent';
  const lastPart = image.slice(image.lastIndexOf('/') + 1);
  const tag = lastPart.includes(':') ? lastPart.slice(lastPart.indexOf(':') + 1) : 'latest';
  return tag === 'latest' ? 'Always' : 'IfNotPresent';
}

/** Records an event about container `container` of `pod`. */
export type ContainerEventSink = (pod: Pod, container: Container, type: 'Normal' | 'Warning', reason: string, message: string) => void;

/** Where a pod's imagePullSecrets come from (in pod order, missing ones left out). */
export type PullSecretSource = (pod: Pod) => Promise<Secret[]>;

/** A gRPC status code as Go names it (`Unknown`, `NotFound`…), as upstream messages show it. */
function goCodeName(code: number): string {
  const name = GrpcStatus[code];
  if (name === undefined) return `Code(${code})`;
  if (name === 'CANCELLED') return 'Canceled';
  return name.toLowerCase().split('_').map((word) => `${word.charAt(0).toUpperCase()}${word.slice(1)}`).join('');
}

/** An error as upstream's kubelet prints a failed runtime call. */
function describePullError(err: unknown): string {
  if (err instanceof CriError) return `rpc error: code = ${goCodeName(err.code)} desc = ${err.details}`;
  return err instanceof Error ? err.message : String(err);
}

/** A duration as Go prints one (`1.5s`, `250ms`). */
function goDuration(ms: number): string {
  return ms < 1000 ? `${ms}ms` : `${ms / 1000}s`;
}

/** Pulls images for containers, remembering failures per pod and image. */
export class ImagePuller {
  readonly #cri: CriClient;
  readonly #clock: Clock;
  readonly #pullSecrets: PullSecretSource;
  readonly #backOff: BackOff;
  readonly #lastFailure = new Map<string, number>();
  readonly #event: ContainerEventSink;

  /** `pullSecrets` supplies the credentials tried for each pull (none by default); `event` is told the pull events. */
  constructor(cri: CriClient, clock: Clock, pullSecrets: PullSecretSource = () => Promise.resolve([]), event: ContainerEventSink = () => undefined) {
    this.#cri = cri;
    this.#clock = clock;
    this.#pullSecrets = pullSecrets;
    this.#backOff = new BackOff(clock);
    this.#event = event;
  }

  /** Pulls with each matching credential in turn (anonymously when none match); throws the last failure. */
  async #pull(pod: Pod, image: string): Promise<void> {
    const credentials: (AuthConfig | undefined)[] = new DockerKeyring(await this.#pullSecrets(pod)).lookup(image);
    if (credentials.length === 0) credentials.push(undefined);
    let lastError: unknown;
    for (const auth of credentials) {
      try {
        await this.#cri.pullImage(image, auth);
        return;
      } catch (err) {
        lastError = err;
      }
    }
    throw lastError;
  }

  /** Ensures `container`'s image is present, pulling it when its policy says so. */
  async ensureImage(pod: Pod, container: Container): Promise<ImageResult> {
    const image = container.image ?? '';
    const policy = effectivePullPolicy(container);
    const present = await this.#cri.imageStatus(image);
    if (present !== undefined && policy !== 'Always') {
      this.#event(pod, container, 'Normal', 'Pulled', `Container image "${image}" already present on machine`);
      return { ok: true, image: present };
    }
    if (policy === 'Never') {
      const message = `Container image "${image}" is not present with pull policy of Never`;
      this.#event(pod, container, 'Warning', 'ErrImageNeverPull', message);
      return { ok: false, failure: { reason: 'ErrImageNeverPull', message } };
    }

    const key = `${pod.metadata?.uid ?? ''}_${image}`;
    const failedAt = this.#lastFailure.get(key);
    if (failedAt !== undefined && this.#backOff.isInBackOffSince(key, failedAt)) {
      const retryAfterMs = failedAt + this.#backOff.get(key) - this.#clock.now();
      const message = `Back-off pulling image "${image}"`;
      this.#event(pod, container, 'Normal', 'BackOff', message);
      this.#event(pod, container, 'Warning', 'Failed', 'Error: ImagePullBackOff');
      return { ok: false, failure: { reason: 'ImagePullBackOff', message }, retryAfterMs };
    }
    this.#event(pod, container, 'Normal', 'Pulling', `Pulling image "${image}"`);
    const startedAt = this.#clock.now();
    try {
      await this.#pull(pod, image);
    } catch (err) {
      const now = this.#clock.now();
      this.#backOff.next(key, now);
      this.#lastFailure.set(key, now);
      const message = `Failed to pull image "${image}": ${describePullError(err)}`;
      this.#event(pod, container, 'Warning', 'Failed', message);
      this.#event(pod, container, 'Warning', 'Failed', 'Error: ErrImagePull');
      return { ok: false, failure: { reason: 'ErrImagePull', message }, retryAfterMs: this.#backOff.get(key) };
    }
    this.#backOff.reset(key);
    this.#lastFailure.delete(key);
    const pulled = await this.#cri.imageStatus(image);
    const took = goDuration(this.#clock.now() - startedAt);
    this.#event(pod, container, 'Normal', 'Pulled', `Successfully pulled image "${image}" in ${took} (${took} including waiting). Image size: ${pulled?.size ?? 0} bytes.`);
    return { ok: true, image: pulled };
  }

  /** Forgets the pull failures of a pod that is gone. */
  forgetPod(uid: string): void {
    for (const key of this.#lastFailure.keys()) {
      if (key.startsWith(`${uid}_`)) {
        this.#lastFailure.delete(key);
        this.#backOff.reset(key);
      }
    }
  }
}
