/**
 * Test support: the manifests e2e tests apply — objects built here and turned into
 * the JSON or YAML text kubectl reads from stdin.
 */
import type { Container, Pod, PodSpec } from 'kubernetes-types/core/v1.js';

/** What a busybox container runs: `script` in `sh -c`, or `command` as given; neither means `sleep 3600`. */
export type BusyboxRun = { script: string; command?: never } | { command?: string[]; script?: never };

/** A busybox container's run plus any other container fields, which win over the defaults. */
export type BusyboxContainerFields = BusyboxRun & Omit<Partial<Container>, 'command'>;

/**
 * Container `name` on image busybox (pull policy IfNotPresent) running what `fields`
 * says (see BusyboxRun), with the rest of `fields` (image, pull policy, mounts, probes…)
 * merged over those defaults.
 */
export function busyboxContainer(name: string, fields: BusyboxContainerFields = {}): Container {
  const { script, command, ...rest } = fields;
  return { name, image: 'busybox', imagePullPolicy: 'IfNotPresent', command: script !== undefined ? ['sh', '-c', script] : (command ?? ['sleep', '3600']), ...rest };
}

/** The one container `main` of a busybox pod (see busyboxContainer), or a pod's full container list. */
export type BusyboxPodContainers = (BusyboxRun & { container?: Omit<Partial<Container>, 'command'>; containers?: never }) | { containers: Container[]; script?: never; command?: never; container?: never };

/** A busybox pod's containers, pod-level `spec` fields and metadata `labels`. */
export type BusyboxPodOptions = BusyboxPodContainers & { spec?: Partial<PodSpec>; labels?: Record<string, string> };

/**
 * Pod `name` bound to `node` (spec.nodeName) whose containers are `containers` or else
 * the one busybox container `main` built from `script`/`command` and `container`.
 * Only `spec` adds pod-level fields (restartPolicy, grace period, volumes…) and it wins
 * over nodeName and containers; metadata carries `labels` only when given.
 */
export function busyboxPod(name: string, node: string, options: BusyboxPodOptions = {}): Pod {
  const { spec = {}, labels } = options;
  const containers = options.containers ?? [busyboxContainer('main', { ...runOf(options), ...options.container })];
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, ...(labels !== undefined ? { labels } : {}) }, spec: { nodeName: node, containers, ...spec } };
}

/** The script or command of a single-container option set, as busyboxContainer takes it. */
function runOf(run: BusyboxRun): BusyboxRun {
  return run.script !== undefined ? { script: run.script } : { command: run.command };
}

/** `object` as the JSON text `kubectl apply -f -` reads. */
export function manifest(object: object): string {
  return JSON.stringify(object);
}

/** `objects` as one v1 List, as the JSON text `kubectl apply -f -` reads. */
export function listManifest(objects: object[]): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects });
}

/** A Deployment `name` with label `app: name`, `replicas` replicas and one container `main`. */
export function deploymentManifest(name: string, replicas = 2, image = 'nginx:1.25'): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
      - name: main
        image: ${image}
`;
}
