/**
 * The one pod shape every phase of the pod-startup benchmark starts: a busybox
 * container running `sleep 3600` on the pod network, as a Pod object (k8ts), as
 * Kubernetes YAML (podman kube play) and as CRI sandbox and container configs.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import { stringify } from 'yaml';
import type { KubeObject } from '../../src/api/object.js';
import type { ContainerConfig, PodSandboxConfig } from '../../src/runtime/cri/types.js';
import { busyboxContainer, sandboxConfig } from '../../src/runtime/testing/pods.js';

/** A Pod that the project's RestClient accepts (metadata present). */
export type PodObject = Pod & KubeObject;

/** The container's command. */
export const POD_COMMAND = ['sleep', '3600'];

/** Pod `name` bound to `node` (no scheduler yet), short grace period so deletion is bounded. */
export function benchPod(name: string, node: string): PodObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: {
      nodeName: node,
      terminationGracePeriodSeconds: 1,
      containers: [{ name: 'main', image: 'busybox', imagePullPolicy: 'IfNotPresent', command: [...POD_COMMAND] }],
    },
  };
}

/** The same pod as YAML for `podman kube play` (no node: podman runs it where it is). */
export function benchPodYaml(name: string): string {
  const pod = benchPod(name, '');
  delete pod.spec?.nodeName;
  return stringify(pod);
}

/** CRI configs of the same pod: a sandbox on the pod network and its busybox container. */
export function benchCriPod(name: string, logDirectory: string): { sandbox: PodSandboxConfig; container: ContainerConfig } {
  return { sandbox: sandboxConfig(name, logDirectory, false), container: busyboxContainer('main', [...POD_COMMAND]) };
}
