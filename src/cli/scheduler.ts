/**
 * Runs the kube-scheduler inside `k8ts server`: a client over loopback HTTPS to the
 * server's own API, authenticated by a client certificate for `system:kube-scheduler`
 * issued from the cluster CA at start (kept in memory only), and the default profile.
 */
import type { ClusterPki } from '../apiserver/pki/cluster-pki.js';
import { SchedulerMetrics } from '../scheduler/metrics.js';
import { Scheduler } from '../scheduler/scheduler.js';
import { componentClient } from './componentClient.js';
import { runLeaderElected } from './leaderElected.js';

/** The user the scheduler acts as (upstream's). */
export const SCHEDULER_USER = 'system:kube-scheduler';

/** A running scheduler; `stop` resolves once it has stopped. */
export interface RunningScheduler {
  /** The scheduler's metrics (kept across leadership changes). */
  readonly metrics: SchedulerMetrics;
  stop(): Promise<void>;
}

/**
 * Starts the scheduler against the API at `server` (an https URL the serving
 * certificate covers); with `leaderElect`, only while this server holds the
 * kube-system/kube-scheduler Lease.
 */
export async function startScheduler(pki: Pick<ClusterPki, 'ca'>, server: string, leaderElect: boolean): Promise<RunningScheduler> {
  const { client, close } = await componentClient(pki, server, { user: SCHEDULER_USER, program: 'kube-scheduler' });
  const metrics = new SchedulerMetrics();
  const log = (message: string): void => void process.stderr.write(`k8ts scheduler: ${message}\n`);
  const start = async (): Promise<Scheduler> => {
    const scheduler = new Scheduler({ client, metrics, log });
    scheduler.start();
    return scheduler;
  };
  const running = leaderElect ? runLeaderElected({ client, leaseName: 'kube-scheduler', start, log }) : await start();
  return {
    metrics,
    async stop() {
      await running.stop();
      close();
    },
  };
}
