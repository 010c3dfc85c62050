/**
 * A small, typed CRI v1 client over a unix socket (@grpc/grpc-js with the vendored
 * kubernetes/cri-api `api.proto`, loaded at runtime). Every call has a deadline and
 * fails with a typed `CriError` (see errors.ts).
 */
import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { fileURLToPath } from 'node:url';
import { criErrorFrom } from './errors.js';
import type {
  AttachRequest, AuthConfig, Container, ContainerConfig, ContainerFilter, ContainerStats, ContainerStatus, ExecRequest, ExecSyncResult, Image,
  PodSandbox, PodSandboxConfig, PodSandboxFilter, PodSandboxStats, PodSandboxStatus, RuntimeStatus, VersionResponse,
} from './types.js';

/**
 * The vendored proto directory. It is read from the source tree (src/runtime/cri/proto),
 * found relative to the repository root from both src/ (ts) and dist/src/ (compiled).
 */
function protoDir(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const root = here.replace(/\/(dist\/)?src\/runtime\/cri\/$/, '');
  return `${root}/src/runtime/cri/proto`;
}

type Callback = (err: grpc.ServiceError | null, response: unknown) => void;
type UnaryMethod = (request: unknown, metadata: grpc.Metadata, options: grpc.CallOptions, callback: Callback) => grpc.ClientUnaryCall;
type ServiceClient = grpc.Client & Record<string, UnaryMethod>;
type ServiceConstructor = new (address: string, credentials: grpc.ChannelCredentials, options?: grpc.ChannelOptions) => ServiceClient;

let services: { runtime: ServiceConstructor; image: ServiceConstructor } | undefined;

function loadServices(): { runtime: ServiceConstructor; image: ServiceConstructor } {
  if (services === undefined) {
    const definition = loadSync('api.proto', {
      includeDirs: [protoDir()],
      keepCase: false,
      longs: String,
      enums: String,
      defaults: true,
      oneofs: true,
    });
    const v1 = (grpc.loadPackageDefinition(definition).runtime as grpc.GrpcObject).v1 as grpc.GrpcObject;
    services = { runtime: v1.RuntimeService as unknown as ServiceConstructor, image: v1.ImageService as unknown as ServiceConstructor };
  }
  return services;
}

/** Default deadline of a call, unless the method sets its own. */
const DEFAULT_TIMEOUT_MS = 30_000;
/** Pulls can be large. */
const PULL_TIMEOUT_MS = 15 * 60_000;
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/** Options of a CRI client. */
export interface CriClientOptions {
  /** Deadline for calls without their own (ms). */
  timeoutMs?: number;
}

/** A CRI v1 client for one runtime socket. Call `close()` when done. */
export class CriClient {
  private readonly runtime: ServiceClient;
  private readonly image: ServiceClient;
  private readonly timeoutMs: number;

  /** Connects lazily to the unix socket at `socketPath` (absolute). */
  constructor(readonly socketPath: string, options: CriClientOptions = {}) {
    const { runtime, image } = loadServices();
    const channelOptions: grpc.ChannelOptions = {
      'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
      'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
    };
    const address = `unix:${socketPath}`;
    this.runtime = new runtime(address, grpc.credentials.createInsecure(), channelOptions);
    this.image = new image(address, grpc.credentials.createInsecure(), channelOptions);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  private call<T>(service: ServiceClient, method: string, request: object, timeoutMs = this.timeoutMs): Promise<T> {
    const fn = service[method];
    if (fn === undefined) throw new Error(`CRI has no method ${method}`);
    return new Promise<T>((resolve, reject) => {
      fn.call(service, request, new grpc.Metadata(), { deadline: Date.now() + timeoutMs }, (err, response) => {
        if (err !== null) reject(criErrorFrom(method, err));
        else resolve(response as T);
      });
    });
  }

  /** Runtime name and versions. */
  version(): Promise<VersionResponse> {
    return this.call(this.runtime, 'Version', { version: 'v1' });
  }

  /** Runtime conditions (RuntimeReady, NetworkReady). */
  async status(): Promise<RuntimeStatus> {
    const response = await this.call<{ status: RuntimeStatus | null }>(this.runtime, 'Status', { verbose: false });
    return response.status ?? { conditions: [] };
  }

  /** Creates and starts a sandbox; resolves to its id. */
  async runPodSandbox(config: PodSandboxConfig, runtimeHandler = ''): Promise<string> {
    const response = await this.call<{ podSandboxId: string }>(this.runtime, 'RunPodSandbox', { config, runtimeHandler }, 4 * 60_000);
    return response.podSandboxId;
  }

  /** Stops a sandbox's containers and tears its network down (idempotent). */
  async stopPodSandbox(podSandboxId: string): Promise<void> {
    await this.call(this.runtime, 'StopPodSandbox', { podSandboxId }, 4 * 60_000);
  }

  /** Removes a stopped sandbox and its containers (idempotent). */
  async removePodSandbox(podSandboxId: string): Promise<void> {
    await this.call(this.runtime, 'RemovePodSandbox', { podSandboxId }, 4 * 60_000);
  }

  /** One sandbox's status; NotFoundError when it does not exist. */
  async podSandboxStatus(podSandboxId: string): Promise<PodSandboxStatus> {
    const response = await this.call<{ status: PodSandboxStatus }>(this.runtime, 'PodSandboxStatus', { podSandboxId, verbose: false });
    return response.status;
  }

  /** Sandboxes matching `filter` (all when omitted). */
  async listPodSandbox(filter?: PodSandboxFilter): Promise<PodSandbox[]> {
    const response = await this.call<{ items: PodSandbox[] }>(this.runtime, 'ListPodSandbox', filter === undefined ? {} : { filter });
    return response.items;
  }

  /** Creates a container in a sandbox (created with `sandboxConfig`); resolves to its id. */
  async createContainer(podSandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig): Promise<string> {
    const response = await this.call<{ containerId: string }>(this.runtime, 'CreateContainer', { podSandboxId, config, sandboxConfig }, 4 * 60_000);
    return response.containerId;
  }

  /** Starts a created container. */
  async startContainer(containerId: string): Promise<void> {
    await this.call(this.runtime, 'StartContainer', { containerId }, 4 * 60_000);
  }

  /** Stops a container: SIGTERM (or the image's stop signal), SIGKILL after `timeoutSeconds`. */
  async stopContainer(containerId: string, timeoutSeconds: number): Promise<void> {
    await this.call(this.runtime, 'StopContainer', { containerId, timeout: timeoutSeconds }, (timeoutSeconds + 60) * 1000);
  }

  /** Removes a container (idempotent). */
  async removeContainer(containerId: string): Promise<void> {
    await this.call(this.runtime, 'RemoveContainer', { containerId }, 2 * 60_000);
  }

  /** One container's status; NotFoundError when it does not exist. */
  async containerStatus(containerId: string): Promise<ContainerStatus> {
    const response = await this.call<{ status: ContainerStatus }>(this.runtime, 'ContainerStatus', { containerId, verbose: false });
    return response.status;
  }

  /** Containers matching `filter` (all when omitted). */
  async listContainers(filter?: ContainerFilter): Promise<Container[]> {
    const response = await this.call<{ containers: Container[] }>(this.runtime, 'ListContainers', filter === undefined ? {} : { filter });
    return response.containers;
  }

  /** Resource usage of every container (memory working set, writable layer). */
  async listContainerStats(): Promise<ContainerStats[]> {
    const response = await this.call<{ stats: ContainerStats[] }>(this.runtime, 'ListContainerStats', {});
    return response.stats;
  }

  /** Resource usage of every sandbox (process count where the runtime reports it). */
  async listPodSandboxStats(): Promise<PodSandboxStats[]> {
    const response = await this.call<{ stats: PodSandboxStats[] }>(this.runtime, 'ListPodSandboxStats', {});
    return response.stats;
  }

  /** Runs `cmd` in a running container and waits up to `timeoutSeconds` (0: no runtime limit). */
  async execSync(containerId: string, cmd: string[], timeoutSeconds = 0): Promise<ExecSyncResult> {
    const deadline = timeoutSeconds > 0 ? (timeoutSeconds + 30) * 1000 : 10 * 60_000;
    return this.call<ExecSyncResult>(this.runtime, 'ExecSync', { containerId, cmd, timeout: timeoutSeconds }, deadline);
  }

  /** Prepares a streaming exec; resolves to the runtime's stream-server URL for it. */
  async exec(request: ExecRequest): Promise<string> {
    const response = await this.call<{ url: string }>(this.runtime, 'Exec', request);
    return response.url;
  }

  /** Prepares a streaming attach to a container's main process; resolves to the stream-server URL. */
  async attach(request: AttachRequest): Promise<string> {
    const response = await this.call<{ url: string }>(this.runtime, 'Attach', request);
    return response.url;
  }

  /** Prepares port forwarding into a sandbox's network; resolves to the stream-server URL. */
  async portForward(podSandboxId: string, ports: number[] = []): Promise<string> {
    const response = await this.call<{ url: string }>(this.runtime, 'PortForward', { podSandboxId, port: ports });
    return response.url;
  }

  /** Images the runtime has. */
  async listImages(): Promise<Image[]> {
    const response = await this.call<{ images: Image[] }>(this.image, 'ListImages', {});
    return response.images;
  }

  /** One image by reference or id; undefined when absent (CRI answers an empty image, not NOT_FOUND). */
  async imageStatus(image: string): Promise<Image | undefined> {
    const response = await this.call<{ image: Image | null }>(this.image, 'ImageStatus', { image: { image }, verbose: false });
    return response.image ?? undefined;
  }

  /** Pulls an image (optionally with registry credentials); resolves to its image ref. */
  async pullImage(image: string, auth?: AuthConfig, sandboxConfig?: PodSandboxConfig): Promise<string> {
    const request = { image: { image }, ...(auth !== undefined ? { auth } : {}), ...(sandboxConfig !== undefined ? { sandboxConfig } : {}) };
    const response = await this.call<{ imageRef: string }>(this.image, 'PullImage', request, PULL_TIMEOUT_MS);
    return response.imageRef;
  }

  /** Removes an image (idempotent). */
  async removeImage(image: string): Promise<void> {
    await this.call(this.image, 'RemoveImage', { image: { image } });
  }

  /** Closes both channels. */
  close(): void {
    this.runtime.close();
    this.image.close();
  }
}
