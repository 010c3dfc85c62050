/**
 * `k8ts server`: a whole single-node cluster in one process. Today it runs the API
 * server over the chosen datastore on HTTPS, with a generated cluster PKI and an
 * admin kubeconfig, the controller manager as a client of that API, and the node
 * (containerd and the kubelet); later components join the composition root here.
 */
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:https';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { ApiServer } from '../apiserver/apiServer.js';
import type { DefaultTolerationSecondsOptions } from '../apiserver/admission/defaultTolerationSeconds.js';
import { createRequestAuthenticator } from '../apiserver/authn/requestAuthenticator.js';
import { KUBELET_CLIENT_IDENTITY, ensureClusterPki, issueClientCertificate } from '../apiserver/pki/cluster-pki.js';
import { openApiRoutes } from '../apiserver/openapiRoutes.js';
import { DEFAULT_CLUSTER_DOMAIN } from '../kubelet/dnsConfig.js';
import { BOUND_TOKEN_ISSUER } from '../api/serviceaccount/claims.js';
import { serviceAccountTokenAuthenticator } from '../apiserver/serviceaccount/tokenAuthenticator.js';
import { tokenKeys } from '../api/serviceaccount/tokenSigner.js';
import { DEFAULT_EVICTION_HARD, parseEvictionHard, parseResourceListFlag } from '../kubelet/node/index.js';
import { parseDuration } from '../kubelet/eviction/duration.js';
import { DEFAULT_NODE_POD_CIDR, parsePodCidr } from '../network/cni/config.js';
import { openStore } from '../storage/open.js';
import { DISABLEABLE_COMPONENTS, disabledComponents } from './components.js';
import type { ControllerSettings } from '../controllers/controller.js';
import { startControllerManager } from './controllerManager.js';
import { startScheduler } from './scheduler.js';
import { UsageError } from './flags.js';
import { startNode, type NodeOptions } from './node.js';
import { writeKubeconfig } from './kubeconfig.js';
import type { FlagSpec } from './flags.js';
import { parseFlags, usage } from './flags.js';

/** Flags of `k8ts server`. */
export const SERVER_FLAGS = {
  'data-dir': { type: 'string', help: 'Directory for the cluster state, PKI and kubeconfig', default: defaultDataDir() },
  'datastore-endpoint': {
    type: 'string',
    help: 'Datastore: sqlite://PATH (default <data-dir>/db/state.db) or http://HOST:PORT[,…] for etcd 3',
  },
  'bind-address': { type: 'string', help: 'Address the API server listens on', default: '127.0.0.1' },
  'https-port': { type: 'string', help: 'Port the API server listens on', default: '6443' },
  'write-kubeconfig': { type: 'string', help: 'Where to write the admin kubeconfig (default <data-dir>/admin.kubeconfig)' },
  'leader-elect': {
    type: 'string',
    help: 'Run the controller manager (and scheduler) only while holding their kube-system Leases: true, false or auto (on with an etcd datastore, which several servers may share)',
    default: 'auto',
  },
  'tls-san': { type: 'string', multiple: true, help: 'Extra host name or IP for the serving certificate (repeatable)' },
  'node-name': { type: 'string', help: "This node's name (default: the host name, lower-cased)" },
  'pod-cidr': { type: 'string', help: "This node's pod CIDR, a subnet of 198.18.0.0/16", default: DEFAULT_NODE_POD_CIDR },
  'kubelet-port': { type: 'string', help: "Port of the kubelet's API (logs, exec, port-forward)", default: '10250' },
  'kube-reserved': { type: 'string', valueName: 'LIST', help: 'Resources reserved for Kubernetes components, e.g. cpu=100m,memory=256Mi' },
  'system-reserved': { type: 'string', valueName: 'LIST', help: 'Resources reserved for the system, e.g. cpu=100m,memory=256Mi' },
  'cluster-dns': { type: 'string', multiple: true, valueName: 'IP', help: 'DNS server IPs given to ClusterFirst pods (comma-separated or repeated; default none: they fall back to the Default policy)' },
  'cluster-domain': { type: 'string', help: 'DNS domain of the cluster, searched by ClusterFirst pods', default: DEFAULT_CLUSTER_DOMAIN },
  'eviction-hard': { type: 'string', valueName: 'LIST', help: `Hard eviction thresholds (default ${DEFAULT_EVICTION_HARD})` },
  'eviction-pressure-transition-period': {
    type: 'string',
    valueName: 'DURATION',
    help: 'How long a pressure condition stays True after its eviction threshold was last met (default 5m0s)',
  },
  'pod-manifest-path': { type: 'string', valueName: 'DIR', help: 'Directory of static pod manifests (YAML or JSON, one Pod per file), watched for changes' },
  'node-monitor-grace-period': { type: 'string', valueName: 'DURATION', help: 'How long a node may go without renewing its Lease or status before it is marked Unknown and tainted unreachable (default 40s)' },
  'terminated-pod-gc-threshold': { type: 'string', valueName: 'N', help: 'Terminated pods kept before the pod garbage collector deletes the oldest (default 12500; 0 or less: never)' },
  'default-not-ready-toleration-seconds': { type: 'string', valueName: 'SECONDS', help: 'tolerationSeconds of the not-ready:NoExecute toleration added to every pod (default 300)' },
  'default-unreachable-toleration-seconds': { type: 'string', valueName: 'SECONDS', help: 'tolerationSeconds of the unreachable:NoExecute toleration added to every pod (default 300)' },
  disable: { type: 'string', multiple: true, valueName: 'COMPONENT', help: `Component not to start (repeatable): ${Object.keys(DISABLEABLE_COMPONENTS).join(', ')}` },
} as const satisfies Record<string, FlagSpec>;

/** The default data directory: /var/lib/k8ts for root, ~/.local/share/k8ts otherwise. */
export function defaultDataDir(): string {
  if (process.getuid?.() === 0) return '/var/lib/k8ts';
  const base = process.env.XDG_DATA_HOME ?? join(process.env.HOME ?? '.', '.local', 'share');
  return join(base, 'k8ts');
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

type ServerFlags = Exclude<ReturnType<typeof parseFlags<typeof SERVER_FLAGS>>, 'help'>;

/** `parse(value)` of flag `--name`, with a malformed value reported as a usage error. */
function flagValue<T>(name: string, value: string, parse: (value: string) => T): T {
  try {
    return parse(value);
  } catch (err) {
    throw new UsageError(`k8ts server: --${name}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** The node's settings from the flags. */
function nodeSettings(flags: ServerFlags): Pick<NodeOptions, 'nodeName' | 'podCidr' | 'kubeletPort' | 'kubeReserved' | 'systemReserved' | 'evictionHard' | 'evictionPressureTransitionPeriodMs' | 'podManifestPath' | 'clusterDNS' | 'clusterDomain'> {
  const optional = <T>(name: keyof ServerFlags & string, parse: (value: string) => T): T | undefined => {
    const value = flags[name];
    return typeof value === 'string' ? flagValue(name, value, parse) : undefined;
  };
  const kubeReserved = optional('kube-reserved', parseResourceListFlag);
  const systemReserved = optional('system-reserved', parseResourceListFlag);
  const evictionHard = optional('eviction-hard', parseEvictionHard);
  const evictionPressureTransitionPeriodMs = optional('eviction-pressure-transition-period', parseDuration);
  return {
    nodeName: (flags['node-name'] ?? hostname()).toLowerCase(),
    podCidr: flagValue('pod-cidr', flags['pod-cidr'], (cidr) => (parsePodCidr(cidr), cidr)),
    kubeletPort: flagValue('kubelet-port', flags['kubelet-port'], parsePort),
    clusterDNS: (flags['cluster-dns'] ?? []).flatMap((list) => list.split(',')).map((ip) => flagValue('cluster-dns', ip, parseIP)),
    clusterDomain: flagValue('cluster-domain', flags['cluster-domain'], parseDnsDomain),
    ...(kubeReserved !== undefined ? { kubeReserved } : {}),
    ...(systemReserved !== undefined ? { systemReserved } : {}),
    ...(evictionHard !== undefined ? { evictionHard } : {}),
    ...(evictionPressureTransitionPeriodMs !== undefined ? { evictionPressureTransitionPeriodMs } : {}),
    ...(flags['pod-manifest-path'] !== undefined ? { podManifestPath: resolve(flags['pod-manifest-path']) } : {}),
  };
}

function parseIP(text: string): string {
  if (isIP(text) === 0) throw new Error(`invalid IP address ${JSON.stringify(text)}`);
  return text;
}

/** A DNS domain such as cluster.local: dot-separated lower-case labels (a trailing dot is dropped). */
function parseDnsDomain(text: string): string {
  const domain = text.replace(/\.$/, '');
  if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/.test(domain) || domain.length > 253) {
    throw new Error(`invalid DNS domain ${JSON.stringify(text)}`);
  }
  return domain;
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`invalid port ${JSON.stringify(text)}`);
  return port;
}

/** The controllers' settings from the flags. */
function controllerSettings(flags: ServerFlags): ControllerSettings {
  const grace = flags['node-monitor-grace-period'];
  const threshold = flags['terminated-pod-gc-threshold'];
  return {
    ...(grace !== undefined ? { nodeMonitorGracePeriodMs: flagValue('node-monitor-grace-period', grace, parseDuration) } : {}),
    ...(threshold !== undefined ? { terminatedPodGcThreshold: flagValue('terminated-pod-gc-threshold', threshold, parseInteger) } : {}),
  };
}

/** The DefaultTolerationSeconds admission settings from the flags. */
function defaultTolerationSettings(flags: ServerFlags): DefaultTolerationSecondsOptions {
  const notReady = flags['default-not-ready-toleration-seconds'];
  const unreachable = flags['default-unreachable-toleration-seconds'];
  return {
    ...(notReady !== undefined ? { notReadySeconds: flagValue('default-not-ready-toleration-seconds', notReady, parseInteger) } : {}),
    ...(unreachable !== undefined ? { unreachableSeconds: flagValue('default-unreachable-toleration-seconds', unreachable, parseInteger) } : {}),
  };
}

function parseInteger(text: string): number {
  const value = Number(text);
  if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(value)) throw new Error(`invalid integer ${JSON.stringify(text)}`);
  return value;
}

/** Whether `--leader-elect` turns leader election on; `auto` means on for a (shareable) etcd datastore. */
function leaderElection(value: string, etcdDatastore: boolean): boolean {
  if (value === 'auto') return etcdDatastore;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new UsageError(`k8ts server: invalid --leader-elect "${value}" (true, false or auto)`);
}

/** Runs `k8ts server` until SIGTERM/SIGINT; returns the exit code. */
export async function runServer(argv: readonly string[]): Promise<number> {
  const flags = parseFlags('server', SERVER_FLAGS, argv);
  if (flags === 'help') {
    process.stdout.write(usage('k8ts server [flags]', 'Run a single-node Kubernetes cluster in this process.', SERVER_FLAGS));
    return 0;
  }
  const disabled = disabledComponents(flags.disable);
  const leaderElect = leaderElection(flags['leader-elect'], !(flags['datastore-endpoint'] ?? 'sqlite://').startsWith('sqlite://'));
  // Listening from the start: a stop during start-up lets the current step finish, then shuts down cleanly.
  const stopRequested = new Promise<void>((done) => {
    process.once('SIGTERM', () => done());
    process.once('SIGINT', () => done());
  });
  const node = nodeSettings(flags);
  const controllerFlags = controllerSettings(flags);
  const defaultTolerations = defaultTolerationSettings(flags);
  const dataDir = resolve(flags['data-dir']);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const port = Number(flags['https-port']);
  const bindAddress = flags['bind-address'];
  const extraNames = flags['tls-san'] ?? [];
  const pki = await ensureClusterPki(dataDir, {
    hostnames: [hostname(), ...extraNames.filter((n) => !IPV4.test(n))],
    ips: [bindAddress, ...extraNames.filter((n) => IPV4.test(n))].filter((ip) => IPV4.test(ip) && ip !== '0.0.0.0'),
  });
  const endpoint = flags['datastore-endpoint'] ?? `sqlite://${join(dataDir, 'db', 'state.db')}`;
  const store = await openStore(endpoint);
  const host = bindAddress === '0.0.0.0' ? '127.0.0.1' : bindAddress;
  const kubeletClient = await issueClientCertificate(pki, KUBELET_CLIENT_IDENTITY);
  const serviceAccountKeys = tokenKeys(pki.serviceAccount.privateKeyPem);
  // The authenticator reads service accounts, pods and secrets through the API server built next.
  const objects = { get: (resource: string, ns: string, name: string) => api.getObject(resource, ns, name) };
  const api: ApiServer = new ApiServer({
    store,
    authenticator: createRequestAuthenticator({
      apiAudiences: [BOUND_TOKEN_ISSUER],
      tokenAuthenticators: [serviceAccountTokenAuthenticator({ keys: serviceAccountKeys, objects })],
    }),
    serviceAccountKeys,
    kubeletClient: { certPem: kubeletClient.certPem, keyPem: kubeletClient.keyPem, caPem: pki.ca.certPem },
    defaultTolerationSeconds: defaultTolerations,
    advertiseAddress: `${host}:${port}`,
    extraRoutes: openApiRoutes,
  });
  await api.start();

  // Written before the port opens, so whoever sees the server ready can read it.
  const kubeconfigPath = resolve(flags['write-kubeconfig'] ?? join(dataDir, 'admin.kubeconfig'));
  await writeKubeconfig(kubeconfigPath, {
    server: `https://${host}:${port}`,
    caPem: pki.ca.certPem,
    clientCertPem: pki.admin.certPem,
    clientKeyPem: pki.admin.keyPem,
  });
  const server = createServer(
    { cert: pki.serving.certPem, key: pki.serving.keyPem, ca: [pki.ca.certPem], requestCert: true, rejectUnauthorized: false },
    (req, res) => void api.handle(req, res),
  );
  server.keepAliveTimeout = 120_000;
  server.on('upgrade', (req, socket, head) => void api.handleUpgrade(req, socket, head));
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(port, bindAddress, ok);
  });
  process.stdout.write(`k8ts server: API on https://${host}:${port}, datastore ${endpoint}\n`);
  process.stdout.write(`k8ts server: kubeconfig written to ${kubeconfigPath}\n`);
  const serverUrl = `https://${host}:${port}`;
  const controllers = disabled.has('controllers') ? undefined : await startControllerManager(pki, serverUrl, leaderElect, controllerFlags);
  const scheduler = disabled.has('scheduler') ? undefined : await startScheduler(pki, serverUrl, leaderElect);
  if (scheduler !== undefined) api.metrics.addRegistry(scheduler.metrics.registry);
  const log = (message: string): void => void process.stderr.write(`k8ts server: ${message}\n`);
  const kubelet = disabled.has('kubelet') ? undefined : await startNode({ ...node, dataDir, pki, server: serverUrl, controlPlane: true, log });

  await stopRequested;
  process.stdout.write('k8ts server: shutting down\n');
  await kubelet?.stop();
  await scheduler?.stop();
  await controllers?.stop();
  api.stop();
  server.closeAllConnections();
  await new Promise<void>((done) => server.close(() => done()));
  await store.close();
  return 0;
}
