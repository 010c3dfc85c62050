/**
 * Upstream's `--leader-elect` for a control-plane component of `k8ts server`: the
 * component runs only while this server holds its Lease in kube-system, so several
 * servers on one etcd never run two copies of it. When leadership is lost the
 * component is stopped and the server campaigns again (upstream exits the process
 * instead; here the API server and kubelet of the same process keep running).
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { LeaderElector } from '../client/index.js';
import type { RestClient } from '../client/index.js';

/** A running component. */
export interface StoppableComponent {
  /** Resolves once the component has wound down. */
  stop(): Promise<void>;
}

/** What runs under which Lease. */
export interface LeaderElectedOptions {
  client: RestClient;
  /** The Lease name in kube-system (upstream: the component name, e.g. kube-controller-manager). */
  leaseName: string;
  /** Starts the component; called each time leadership is acquired. */
  start(): Promise<StoppableComponent>;
  log(message: string): void;
}

/** A unique candidate identity as upstream forms it: host name, underscore, random UUID. */
export function candidateIdentity(): string {
  return `${hostname()}_${randomUUID()}`;
}

/** Campaigns for the Lease until stopped; starts the component while leading. Returns at once. */
export function runLeaderElected(options: LeaderElectedOptions): StoppableComponent {
  const abort = new AbortController();
  let stopping = false;
  const identity = candidateIdentity();
  let component: Promise<StoppableComponent | undefined> = Promise.resolve(undefined);
  const elector = new LeaderElector({
    client: options.client,
    namespace: 'kube-system',
    name: options.leaseName,
    identity,
    onError: (err) => {
      if (!abort.signal.aborted) options.log(`lease ${options.leaseName}: ${err instanceof Error ? err.message : String(err)}`);
    },
    callbacks: {
      onStartedLeading: () => {
        if (stopping) return;
        options.log(`leading ${options.leaseName} as ${identity}`);
        component = options.start().catch((err: unknown) => {
          options.log(`${options.leaseName} failed to start: ${err instanceof Error ? err.message : String(err)}`);
          return undefined;
        });
      },
      onStoppedLeading: () => {
        if (!abort.signal.aborted) options.log(`lost the lease ${options.leaseName}; stopping until re-elected`);
      },
    },
  });
  const campaigning = (async () => {
    while (!abort.signal.aborted) {
      await elector.run(abort.signal);
      // Whether lost or stopped, the component ends before the next campaign.
      await (await component)?.stop();
      component = Promise.resolve(undefined);
    }
  })();
  return {
    async stop() {
      // The component ends while the Lease is still held, so no other server's copy overlaps it.
      stopping = true;
      const running = component;
      component = Promise.resolve(undefined);
      await (await running)?.stop();
      abort.abort();
      await campaigning;
    },
  };
}
