/**
 * The container runtime as the kubelet's pod logic sees it: a small, runtime-neutral
 * view of one pod's sandboxes and containers. The CRI client translates CRI messages
 * into these types; nothing here knows CRI.
 */

/** State of a pod sandbox (CRI SANDBOX_READY / SANDBOX_NOTREADY). */
export type SandboxState = 'ready' | 'notready';

/** One pod sandbox as the runtime reports it. */
export interface RuntimeSandbox {
  /** Runtime-assigned sandbox id. */
  id: string;
  state: SandboxState;
  /** How many sandboxes were made for this pod before this one (CRI metadata attempt). */
  attempt: number;
  /** Creation time, ms since the epoch. */
  createdAt: number;
  /** The pod IPs the network plugin assigned; empty for host-network pods or before networking. */
  ips: string[];
}

/** State of a container (CRI CONTAINER_CREATED / RUNNING / EXITED / UNKNOWN). */
export type RuntimeContainerState = 'created' | 'running' | 'exited' | 'unknown';

/** One container instance (a pod's container may have several: one per restart). */
export interface RuntimeContainer {
  /** Runtime-assigned id, without the `runtime://` prefix. */
  id: string;
  /** The container's name in the pod spec. */
  name: string;
  state: RuntimeContainerState;
  /** Creation time, ms since the epoch; orders instances of the same name. */
  createdAt: number;
  /** When the process started, ms since the epoch (absent when it never started). */
  startedAt?: number;
  /** When the process ended, ms since the epoch (exited containers). */
  finishedAt?: number;
  /** Exit code (exited containers). */
  exitCode?: number;
  /** Runtime reason for the exit, e.g. `OOMKilled`, `Completed`, `Error`. */
  reason?: string;
  /** Runtime message for the exit (termination message). */
  message?: string;
  /** The restart attempt this instance is (CRI metadata attempt): the pod's restart count for it. */
  restartCount: number;
  /** The image as the spec named it. */
  image: string;
  /** The digested image reference (becomes status imageID). */
  imageRef: string;
  /** Path of the container's log file. */
  logPath?: string;
  /** Hash of the container spec this instance was created from. */
  specHash?: string;
}

/** Everything the runtime knows about one pod. */
export interface RuntimePodStatus {
  /** Runtime name used in container IDs, e.g. `containerd`. */
  runtimeName: string;
  /** Sandboxes, newest first. */
  sandboxes: RuntimeSandbox[];
  /** Every container instance of the pod, in any order. */
  containers: RuntimeContainer[];
}

/** A probe's latest verdict; absent from a `ProbeResults` lookup when it has not run yet. */
export type ProbeResult = 'success' | 'failure';

/** The latest probe verdicts, by container id (without runtime prefix). */
export interface ProbeResults {
  startup?: ReadonlyMap<string, ProbeResult>;
  readiness?: ReadonlyMap<string, ProbeResult>;
  liveness?: ReadonlyMap<string, ProbeResult>;
}

/** Why the kubelet's last attempt to start a container failed (upstream's reason cache). */
export interface StartFailure {
  /** A waiting reason: `CrashLoopBackOff`, `ErrImagePull`, `ImagePullBackOff`, `CreateContainerConfigError`, … */
  reason: string;
  message?: string;
}
