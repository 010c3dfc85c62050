/**
 * Finds a pod's containers and sandbox in the runtime by the labels the kubelet puts
 * on them (as upstream kuberuntime does): pod namespace, pod name, container name.
 */
import type { CriClient } from '../../runtime/cri/client.js';
import type { Container, PodSandbox } from '../../runtime/cri/types.js';

/** Label keys the kubelet sets on sandboxes and containers. */
export const POD_NAMESPACE_LABEL = 'io.kubernetes.pod.namespace';
export const POD_NAME_LABEL = 'io.kubernetes.pod.name';
export const CONTAINER_NAME_LABEL = 'io.kubernetes.container.name';

/** A lookup that found nothing; `message` is what the client sees (404). */
export class NotFoundInRuntime extends Error {}

/** A request for the previous instance of a container that has none; upstream answers it with 400. */
export class NoPreviousInstance extends NotFoundInRuntime {}

function byNewestFirst(a: Container, b: Container): number {
  const attempt = (b.metadata?.attempt ?? 0) - (a.metadata?.attempt ?? 0);
  if (attempt !== 0) return attempt;
  const age = BigInt(b.createdAt) - BigInt(a.createdAt);
  return age > 0n ? 1 : age < 0n ? -1 : 0;
}

/** The instances of a pod's container, newest (highest restart attempt) first. */
export async function containerInstances(cri: CriClient, namespace: string, pod: string, container: string): Promise<Container[]> {
  const found = await cri.listContainers({
    labelSelector: { [POD_NAMESPACE_LABEL]: namespace, [POD_NAME_LABEL]: pod, [CONTAINER_NAME_LABEL]: container },
  });
  return found.sort(byNewestFirst);
}

/** The current instance of a container (or the one before it with `previous`); throws NotFoundInRuntime. */
export async function findContainer(cri: CriClient, namespace: string, pod: string, container: string, previous = false): Promise<Container> {
  const instances = await containerInstances(cri, namespace, pod, container);
  const found = instances[previous ? 1 : 0];
  if (found === undefined) {
    if (previous) throw new NoPreviousInstance(`previous terminated container "${container}" in pod "${pod}" not found`);
    throw new NotFoundInRuntime(`container "${container}" in pod "${pod}" not found`);
  }
  return found;
}

/** The ready sandbox of a pod; throws NotFoundInRuntime. */
export async function findSandbox(cri: CriClient, namespace: string, pod: string): Promise<PodSandbox> {
  const sandboxes = await cri.listPodSandbox({ labelSelector: { [POD_NAMESPACE_LABEL]: namespace, [POD_NAME_LABEL]: pod }, state: { state: 'SANDBOX_READY' } });
  const found = sandboxes[0];
  if (found === undefined) throw new NotFoundInRuntime(`pod "${pod}" in namespace "${namespace}" has no running sandbox`);
  return found;
}
