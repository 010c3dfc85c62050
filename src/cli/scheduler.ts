/**
 * Runs the kube-scheduler inside `k8ts server`: a client over loopback HTTPS to the
 * server's own API, authenticated by a client certificate for `system:kube-scheduler`
 * issued from the cluster CA at start (kept in memory only), and the default profile.
 */
import type { ClusterPki } from '../apiserver/pki/cluster-pki.js';
import { Scheduler } from '../scheduler/scheduler.js';
import { componentClient } from './componentClient.js';

/** The user the scheduler acts as (upstream's). */
export const SCHEDULER_USER = 'system:kube-scheduler';

/** A running scheduler; `stop` resolves once it has stopped. */
export interface RunningScheduler {
  readonly scheduler: Scheduler;
  stop(): Promise<void>;
}

/** Starts the scheduler against the API at `server` (an https URL the serving certificate covers). */
export async function startScheduler(pki: Pick<ClusterPki, 'ca'>, server: string): Promise<RunningScheduler> {
  const { client, close } = await componentClient(pki, server, { user: SCHEDULER_USER, program: 'kube-scheduler' });
  const scheduler = new Scheduler({ client, log: (message) => process.stderr.write(`k8ts scheduler: ${message}\n`) });
  scheduler.start();
  return {
    scheduler,
    async stop() {
      await scheduler.stop();
      close();
    },
  };
}
