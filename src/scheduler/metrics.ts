/**
 * The scheduler's Prometheus metrics (prom-client, its own Registry, merged into the
 * server's /metrics): pending pods by queue, scheduling attempts and their duration
 * by result and profile.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { QueueCounts } from './queue/schedulingQueue.js';

/** The result label of an attempt (upstream's values). */
export type AttemptResult = 'scheduled' | 'unschedulable' | 'error';

/** See the module comment. */
export class SchedulerMetrics {
  readonly registry = new Registry();
  #counts: () => QueueCounts = () => ({ active: 0, backoff: 0, unschedulable: 0, gated: 0 });
  readonly #attempts = new Counter({
    name: 'scheduler_schedule_attempts_total',
    help: 'Number of attempts to schedule pods, by the result. "unschedulable" means a pod could not be scheduled, while "error" means an internal scheduler problem.',
    labelNames: ['result', 'profile'] as const,
    registers: [this.registry],
  });
  readonly #duration = new Histogram({
    name: 'scheduler_scheduling_attempt_duration_seconds',
    help: 'Scheduling attempt latency in seconds (scheduling algorithm + binding)',
    labelNames: ['result', 'profile'] as const,
    buckets: [0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256, 0.512, 1.024, 2.048, 4.096, 8.192, 16.384],
    registers: [this.registry],
  });

  constructor() {
    const counts = (): QueueCounts => this.#counts();
    new Gauge({
      name: 'scheduler_pending_pods',
      help: 'Number of pending pods, by the queue type. \'active\' means number of pods in activeQ; \'backoff\' means number of pods in backoffQ; \'unschedulable\' means number of pods in unschedulablePods that the scheduler attempted to schedule and failed; \'gated\' is the number of unschedulable pods that the scheduler never attempted to schedule because they are gated.',
      labelNames: ['queue'] as const,
      registers: [this.registry],
      collect() {
        const c = counts();
        this.set({ queue: 'active' }, c.active);
        this.set({ queue: 'backoff' }, c.backoff);
        this.set({ queue: 'unschedulable' }, c.unschedulable);
        this.set({ queue: 'gated' }, c.gated);
      },
    });
  }

  /** Where the pending-pods gauge reads its numbers. */
  watchQueue(counts: () => QueueCounts): void {
    this.#counts = counts;
  }

  /** Counts one attempt and its duration. */
  observeAttempt(result: AttemptResult, profile: string, seconds: number): void {
    this.#attempts.inc({ result, profile });
    this.#duration.observe({ result, profile }, seconds);
  }
}
