/**
 * Container start and stop around the hooks (upstream kuberuntime startContainer and
 * killContainer): after StartContainer the postStart hook runs, and when it fails a
 * FailedPostStartHook warning is recorded and the container killed. Stopping records
 * a Killing event, runs the preStop hook within the grace period (FailedPreStopHook
 * when it fails), then calls StopContainer (SIGTERM, SIGKILL when the rest of the
 * grace period — at least 2 s after a hook — runs out).
 */
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import type { Clock } from '../../client/index.js';
import { sleep } from '../../client/index.js';
import type { CriClient } from '../../runtime/cri/client.js';
import type { EventSubject, EventType } from '../events.js';
import { defaultHost } from '../probes/handlerTarget.js';
import { runLifecycleHandler } from './runHandler.js';

/** What a ContainerLifecycle works with. */
export interface ContainerLifecycleOptions {
  cri: Pick<CriClient, 'execSync' | 'stopContainer'>;
  clock: Clock;
  recordEvent: (subject: EventSubject, type: EventType, reason: string, message: string) => void;
}

/** Upstream's minimumGracePeriodInSeconds: what StopContainer gets at least after a preStop hook. */
const MINIMUM_GRACE_AFTER_HOOK_SECONDS = 2;

/** One container to stop; pod and spec are absent for containers of pods no longer known. */
export interface ContainerToStop {
  pod?: Pod;
  container?: Container;
  containerId: string;
  /** The pod's IP (for an httpGet preStop hook). */
  podIP?: string;
  graceSeconds: number;
  /** The Killing event's message (default `Stopping container <name>`). */
  message?: string;
}

/** Runs hooks around container start and stop. */
export class ContainerLifecycle {
  readonly #o: ContainerLifecycleOptions;

  constructor(options: ContainerLifecycleOptions) {
    this.#o = options;
  }

  /**
   * Runs `container`'s postStart hook, if any, after it started. On failure records
   * FailedPostStartHook, kills the container and resolves to the failure message.
   */
  async postStart(pod: Pod, container: Container, containerId: string, podIP: string | undefined): Promise<string | undefined> {
    const handler = container.lifecycle?.postStart;
    if (handler === undefined) return undefined;
    const host = defaultHost(podIP, pod.spec?.hostNetwork === true);
    const failure = await runLifecycleHandler(this.#o.cri, this.#o.clock, handler, { pod, container, containerId, host, timeoutSeconds: 0 });
    if (failure === undefined) return undefined;
    this.#o.recordEvent({ pod, containerName: container.name }, 'Warning', 'FailedPostStartHook', failure);
    const grace = pod.spec?.terminationGracePeriodSeconds ?? 30;
    await this.stop({ pod, container, containerId, graceSeconds: grace, message: 'FailedPostStartHook' });
    return failure;
  }

  /** Stops a container as the module comment says. */
  async stop(target: ContainerToStop): Promise<void> {
    const { pod, container } = target;
    let grace = Math.max(0, target.graceSeconds);
    if (pod !== undefined && container !== undefined) {
      this.#o.recordEvent({ pod, containerName: container.name }, 'Normal', 'Killing', target.message ?? `Stopping container ${container.name}`);
      const handler = container.lifecycle?.preStop;
      if (handler !== undefined && grace > 0) {
        const started = this.#o.clock.now();
        const deadline = new AbortController();
        const host = defaultHost(target.podIP, pod.spec?.hostNetwork === true);
        const hook = runLifecycleHandler(this.#o.cri, this.#o.clock, handler, { pod, container, containerId: target.containerId, host, timeoutSeconds: grace, signal: deadline.signal })
          .then((failure) => {
            if (failure !== undefined) this.#o.recordEvent({ pod, containerName: container.name }, 'Warning', 'FailedPreStopHook', failure);
          });
        await Promise.race([hook, sleep(this.#o.clock, grace * 1000, deadline.signal)]);
        deadline.abort();
        const spent = Math.floor((this.#o.clock.now() - started) / 1000);
        grace = Math.max(MINIMUM_GRACE_AFTER_HOOK_SECONDS, grace - spent);
      }
    }
    await this.#o.cri.stopContainer(target.containerId, grace);
  }
}
