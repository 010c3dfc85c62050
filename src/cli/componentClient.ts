/**
 * The API client of an in-process component (controller manager, kubelet): loopback
 * HTTPS to the server's own API with a client certificate issued from the cluster CA
 * at start and kept in memory, so each component acts as its own upstream user.
 */
import { KUBERNETES_VERSION } from '../apiserver/apiServer.js';
import type { ClusterPki } from '../apiserver/pki/cluster-pki.js';
import { issueClientCertificate } from '../apiserver/pki/cluster-pki.js';
import { HttpsTransport, RestClient } from '../client/index.js';

/** A component's client and the transport to close when it stops. */
export interface ComponentClient {
  client: RestClient;
  close(): void;
}

/** A client for the API at `server` acting as `user` in `groups`; `program` names it in the User-Agent (and so in managedFields). */
export async function componentClient(
  pki: Pick<ClusterPki, 'ca'>,
  server: string,
  identity: { user: string; groups?: string[]; program: string },
): Promise<ComponentClient> {
  const credentials = await issueClientCertificate(pki, { commonName: identity.user, organizations: identity.groups ?? [] });
  const transport = new HttpsTransport({
    server,
    caPem: pki.ca.certPem,
    certPem: credentials.certPem,
    keyPem: credentials.keyPem,
    userAgent: `${identity.program}/${KUBERNETES_VERSION.gitVersion} (${process.platform}/${process.arch}) k8ts`,
  });
  return { client: new RestClient(transport), close: () => transport.close() };
}
