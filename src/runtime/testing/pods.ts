/**
 * For tests: small CRI pod and container configs and a bounded wait for a container
 * to exit.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CriClient } from '../cri/client.js';
import type { ContainerConfig, ContainerStatus, PodSandboxConfig } from '../cri/types.js';
import { BUSYBOX_IMAGE } from '../images/baseImages.js';

/** A sandbox config named `name` logging under `logDirectory`, on the host network when asked. */
export function sandboxConfig(name: string, logDirectory: string, hostNetwork: boolean): PodSandboxConfig {
  return {
    metadata: { name, uid: randomUUID(), namespace: 'default', attempt: 0 },
    // A host-network sandbox shares the host's UTS namespace: no hostname of its own.
    ...(hostNetwork ? {} : { hostname: name }),
    logDirectory,
    linux: { securityContext: { namespaceOptions: { network: hostNetwork ? 'NODE' : 'POD', pid: 'CONTAINER', ipc: 'POD' } } },
  };
}

/** A busybox container running `command`, logging to `<name>.log`. */
export function busyboxContainer(name: string, command: string[]): ContainerConfig {
  return { metadata: { name, attempt: 0 }, image: { image: BUSYBOX_IMAGE }, command, logPath: `${name}.log` };
}

/** Creates and starts a container; resolves to its id. */
export async function runContainer(cri: CriClient, sandboxId: string, sandbox: PodSandboxConfig, config: ContainerConfig): Promise<string> {
  const id = await cri.createContainer(sandboxId, config, sandbox);
  await cri.startContainer(id);
  return id;
}

/** Polls (at most `attempts` × 50 ms) until the container has exited; resolves to its status. */
export async function waitForExit(cri: CriClient, containerId: string, attempts = 400): Promise<ContainerStatus> {
  for (let i = 0; i < attempts; i++) {
    const status = await cri.containerStatus(containerId);
    if (status.state === 'CONTAINER_EXITED') return status;
    await sleep(50);
  }
  throw new Error(`container ${containerId} did not exit`);
}
