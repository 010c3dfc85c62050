/**
 * Runs the controller manager inside `k8ts server`: a client over loopback HTTPS to
 * the server's own API, authenticated by a client certificate for
 * `system:kube-controller-manager` issued from the cluster CA at start (kept in
 * memory only), and every built-in controller.
 */
import type { ClusterPki } from '../apiserver/pki/cluster-pki.js';
import { BUILTIN_CONTROLLERS } from '../controllers/builtin.js';
import type { ControllerSettings } from '../controllers/controller.js';
import { ControllerManager } from '../controllers/manager.js';
import { componentClient } from './componentClient.js';
import { runLeaderElected } from './leaderElected.js';

/** The user the controller manager acts as (upstream's). */
export const CONTROLLER_MANAGER_USER = 'system:kube-controller-manager';

/** A running controller manager; `stop` resolves once every controller has stopped. */
export interface RunningControllerManager {
  stop(): Promise<void>;
}

/**
 * Starts the built-in controllers against the API at `server` (an https URL the serving
 * certificate covers); with `leaderElect`, only while this server holds the
 * kube-system/kube-controller-manager Lease. `settings` are the controllers' flags.
 */
export async function startControllerManager(pki: Pick<ClusterPki, 'ca' | 'serviceAccount'>, server: string, leaderElect: boolean, settings: ControllerSettings = {}): Promise<RunningControllerManager> {
  const { client, close } = await componentClient(pki, server, { user: CONTROLLER_MANAGER_USER, program: 'kube-controller-manager' });
  const log = (message: string): void => void process.stderr.write(`k8ts controller-manager: ${message}\n`);
  const start = async (): Promise<RunningControllerManager> => {
    const manager = new ControllerManager({
      client,
      controllers: BUILTIN_CONTROLLERS,
      rootCaPem: pki.ca.certPem,
      serviceAccountKeyPem: pki.serviceAccount.privateKeyPem,
      settings,
      log,
    });
    manager.start();
    return manager;
  };
  const running = leaderElect ? runLeaderElected({ client, leaseName: 'kube-controller-manager', start, log }) : await start();
  return {
    async stop() {
      await running.stop();
      close();
    },
  };
}
