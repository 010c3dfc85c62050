/**
 * Test support for the streaming subresources: a cluster CA, a kubelet streaming
 * server on loopback serving with a CA-issued certificate, an in-process API server
 * holding the kubelet client certificate, and a Node object pointing at the streaming
 * server. `stop()` ends both servers.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import { createCertificateAuthority } from '../../src/apiserver/pki/certificates.js';
import { KUBELET_CLIENT_IDENTITY, issueClientCertificate, issueServingCertificateFor } from '../../src/apiserver/pki/cluster-pki.js';
import { StreamingServer } from '../../src/kubelet/streaming/streamingServer.js';
import { CONTAINER_NAME_LABEL, POD_NAME_LABEL, POD_NAMESPACE_LABEL } from '../../src/kubelet/streaming/podContainers.js';
import type { CriClient } from '../../src/runtime/cri/client.js';
import type { StringMap } from '../../src/runtime/cri/types.js';
import { startInProcessApi, type InProcessApi } from '../support/inProcessApi.js';

/** The node every test pod is bound to. */
export const NODE_NAME = 'streaming-node';

/** A running streaming setup. */
export interface StreamingSetup {
  api: InProcessApi;
  kubeletPort: number;
  /** Creates pod `name` in default with busybox containers `containers`, bound to the node and Running unless `bound` is false. */
  createPod(name: string, containers: string[], options?: { bound?: boolean }): Promise<void>;
  /** Sandbox labels the kubelet sets for a pod in default. */
  podLabels(pod: string): StringMap;
  /** Container labels the kubelet sets. */
  containerLabels(pod: string, container: string): StringMap;
  stop(): Promise<void>;
}

/** Starts the kubelet streaming server over `cri` and an API server that reaches it. */
export async function startStreamingSetup(cri: CriClient): Promise<StreamingSetup> {
  const ca = await createCertificateAuthority('k8ts-test-ca', { days: 1 });
  const serving = await issueServingCertificateFor({ ca }, 'kubelet', { dnsNames: ['localhost'], ips: ['127.0.0.1'] });
  const client = await issueClientCertificate({ ca }, KUBELET_CLIENT_IDENTITY);
  const kubelet = new StreamingServer({ cri, certPem: serving.certPem, keyPem: serving.keyPem, clientCaPem: ca.certPem });
  const kubeletPort = await kubelet.listen(0);
  const api = await startInProcessApi(undefined, { kubeletClient: { certPem: client.certPem, keyPem: client.keyPem, caPem: ca.certPem } });
  const created = await api.request('POST', '/api/v1/nodes', { body: { apiVersion: 'v1', kind: 'Node', metadata: { name: NODE_NAME } } });
  if (created.status !== 201) throw new Error(`node create: ${created.text}`);
  const status = { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: kubeletPort } } };
  const patched = await api.request('PATCH', `/api/v1/nodes/${NODE_NAME}/status`, { body: { status }, contentType: 'application/merge-patch+json' });
  if (patched.status !== 200) throw new Error(`node status: ${patched.text}`);
  return {
    api,
    kubeletPort,
    async createPod(name, containers, options = {}) {
      const pod: Pod = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, namespace: 'default' },
        spec: { ...(options.bound === false ? {} : { nodeName: NODE_NAME }), containers: containers.map((c) => ({ name: c, image: 'busybox' })) },
      };
      const res = await api.request('POST', '/api/v1/namespaces/default/pods', { body: pod });
      if (res.status !== 201) throw new Error(`pod create: ${res.text}`);
      if (options.bound === false) return;
      // No kubelet writes status here; kubectl port-forward wants a Running pod.
      const running = await api.request('PATCH', `/api/v1/namespaces/default/pods/${name}/status`, {
        body: { status: { phase: 'Running' } },
        contentType: 'application/merge-patch+json',
      });
      if (running.status !== 200) throw new Error(`pod status: ${running.text}`);
    },
    podLabels: (pod) => ({ [POD_NAMESPACE_LABEL]: 'default', [POD_NAME_LABEL]: pod }),
    containerLabels: (pod, container) => ({ [POD_NAMESPACE_LABEL]: 'default', [POD_NAME_LABEL]: pod, [CONTAINER_NAME_LABEL]: container }),
    async stop() {
      await api.stop();
      await kubelet.close();
    },
  };
}
