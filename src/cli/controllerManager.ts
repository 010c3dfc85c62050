/**
 * Runs the controller manager inside `k8ts server`: a client over loopback HTTPS to
 * the server's own API, authenticated by a client certificate for
 * `system:kube-controller-manager` issued from the cluster CA at start (kept in
 * memory only), and every built-in controller.
 */
import { KUBERNETES_VERSION } from '../apiserver/apiServer.js';
import type { ClusterPki } from '../apiserver/pki/cluster-pki.js';
import { issueClientCertificate } from '../apiserver/pki/cluster-pki.js';
import { HttpsTransport, RestClient } from '../client/index.js';
import { BUILTIN_CONTROLLERS } from '../controllers/builtin.js';
import { ControllerManager } from '../controllers/manager.js';

/** The user the controller manager acts as (upstream's). */
export const CONTROLLER_MANAGER_USER = 'system:kube-controller-manager';

/** A running controller manager; `stop` resolves once every controller has stopped. */
export interface RunningControllerManager {
  stop(): Promise<void>;
}

/** Starts the built-in controllers against the API at `server` (an https URL the serving certificate covers). */
export async function startControllerManager(pki: Pick<ClusterPki, 'ca'>, server: string): Promise<RunningControllerManager> {
  const credentials = await issueClientCertificate(pki, { commonName: CONTROLLER_MANAGER_USER });
  const transport = new HttpsTransport({
    server,
    caPem: pki.ca.certPem,
    certPem: credentials.certPem,
    keyPem: credentials.keyPem,
    userAgent: `kube-controller-manager/${KUBERNETES_VERSION.gitVersion} (${process.platform}/${process.arch}) k8ts`,
  });
  const manager = new ControllerManager({
    client: new RestClient(transport),
    controllers: BUILTIN_CONTROLLERS,
    log: (message) => process.stderr.write(`k8ts controller-manager: ${message}\n`),
  });
  manager.start();
  return {
    async stop() {
      await manager.stop();
      transport.close();
    },
  };
}
