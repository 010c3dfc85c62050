/**
 * Runs one lifecycle hook handler (upstream lifecycle handler runner): exec in the
 * container, httpGet against it, or sleep. Resolves to undefined on success, or to
 * the failure message upstream puts in the FailedPostStartHook/FailedPreStopHook event.
 */
import type { Container, LifecycleHandler, Pod } from 'kubernetes-types/core/v1.js';
import type { Clock } from '../../client/index.js';
import { sleep } from '../../client/index.js';
import type { CriClient } from '../../runtime/cri/client.js';
import { execCheck } from '../probes/execCheck.js';
import { httpTarget } from '../probes/handlerTarget.js';
import { httpCheck } from '../probes/httpCheck.js';

/** Where a hook runs. */
export interface HookTarget {
  pod: Pod;
  container: Container;
  /** Runtime id of the container instance. */
  containerId: string;
  /** Host for httpGet without its own (pod IP, or 127.0.0.1). */
  host: string;
  /** Runtime limit for exec and httpGet in seconds (0: none). */
  timeoutSeconds: number;
  /** Ends a sleep early (the grace period ran out). */
  signal?: AbortSignal;
}

/** Upstream's format.Pod: `name_namespace(uid)`. */
function podDescription(pod: Pod): string {
  return `${pod.metadata?.name ?? ''}_${pod.metadata?.namespace ?? ''}(${pod.metadata?.uid ?? ''})`;
}

/** Runs `handler` against `target`; see the module comment. */
export async function runLifecycleHandler(cri: Pick<CriClient, 'execSync'>, clock: Clock, handler: LifecycleHandler, target: HookTarget): Promise<string | undefined> {
  const where = `for Container "${target.container.name}" in Pod "${podDescription(target.pod)}"`;
  if (handler.exec !== undefined) {
    const command = handler.exec.command ?? [];
    const outcome = await execCheck(cri, target.containerId, command, target.timeoutSeconds);
    if (outcome.result === 'success') return undefined;
    return `Exec lifecycle hook ([${command.join(' ')}]) ${where} failed - error: ${outcome.result === 'error' ? outcome.output : 'command exited with a non-zero code'}, message: ${JSON.stringify(outcome.output)}`;
  }
  if (handler.httpGet !== undefined) {
    const http = httpTarget(handler.httpGet, target.container, target.host);
    const outcome = typeof http === 'string' ? { result: 'error', output: http } : await httpCheck(http, target.timeoutSeconds > 0 ? target.timeoutSeconds * 1000 : 600_000);
    if (outcome.result === 'success') return undefined;
    return `HTTP lifecycle hook (${handler.httpGet.path ?? ''}) ${where} failed - error: ${outcome.output}`;
  }
  if (handler.sleep !== undefined) {
    await sleep(clock, handler.sleep.seconds * 1000, target.signal);
    return undefined;
  }
  return `Lifecycle hook ${where} failed - error: no supported handler (exec, httpGet or sleep)`;
}
