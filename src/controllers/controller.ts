/**
 * What every controller is to the controller manager: something built from shared
 * parts (client, informers, clock, log) that runs until told to stop.
 */
import type { Clock, InformerFactory, RestClient } from '../client/index.js';

/** The shared parts the manager hands every controller. */
export interface ControllerContext {
  /** The API, as any client sees it. */
  client: RestClient;
  /** Shared informers: request them while being built; the manager starts them. */
  informers: InformerFactory;
  clock: Clock;
  /** Reports a problem the controller handles itself (a failed sync it will retry). */
  log(message: string): void;
  /** The cluster CA (PEM) clients verify the API server with (upstream `--root-ca-file`), if known. */
  rootCaPem?: string;
  /** The key (PKCS#8 PEM) legacy service-account tokens are signed with (upstream `--service-account-private-key-file`), if known. */
  serviceAccountKeyPem?: string;
  /** Per-controller settings from flags; an absent one means upstream's default. */
  settings?: ControllerSettings;
}

/** Settings of individual controllers (kube-controller-manager flags). */
export interface ControllerSettings {
  /** `--node-monitor-grace-period`, ms. */
  nodeMonitorGracePeriodMs?: number;
  /** `--terminated-pod-gc-threshold` (0 or less: no terminated pod is collected for the count). */
  terminatedPodGcThreshold?: number;
}

/** A running part of the control plane. */
export interface Controller {
  /** Waits for its informers' caches, works until `signal` aborts, resolves once idle. */
  run(signal: AbortSignal): Promise<void>;
}

/** A named controller the manager can build. */
export interface ControllerDescriptor {
  /** The upstream controller name (`namespace`, `garbage-collector`, …). */
  name: string;
  /** Builds the controller; it registers its informers and handlers here, before they start. */
  create(context: ControllerContext): Controller;
}
