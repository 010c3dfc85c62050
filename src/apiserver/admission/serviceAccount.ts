/**
 * The ServiceAccount admission plugin on pod CREATE, as upstream's: a pod without a
 * service account gets `default`; the account must exist (the default one is looked
 * for a few more times, since its controller may still be creating it); unless
 * automounting is off (the pod's `automountServiceAccountToken`, else the account's,
 * else on) a projected `kube-api-access-<random>` volume (token, cluster CA, namespace)
 * is added and mounted read-only at /var/run/secrets/kubernetes.io/serviceaccount in
 * every container and init container without a mount there; the account's image pull
 * secrets are copied to a pod that has none. Mirror pods are left as they are but may
 * not reference service accounts, secrets, configmaps or service-account tokens.
 */
import type { Container, Pod, ServiceAccount, Volume } from 'kubernetes-types/core/v1.js';
import { forbidden } from '../../api/status.js';
import { generateName } from '../generic/objectMetaFill.js';

/** The service account pods get when they name none. */
export const DEFAULT_SERVICE_ACCOUNT = 'default';
/** Where the token volume is mounted. */
export const API_TOKEN_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
/** The prefix of the token volume's name. */
export const TOKEN_VOLUME_PREFIX = 'kube-api-access-';
/** The annotation that marks a mirror pod (the API copy of a kubelet static pod). */
export const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';

/** How the plugin reads service accounts: the account, or undefined when it does not exist (yet). */
export type ServiceAccountLookup = (namespace: string, name: string) => Promise<ServiceAccount | undefined>;

/** Tuning of the lookups of a missing `default` account (upstream: 10 tries, 100–200 ms apart). */
export interface ServiceAccountAdmissionOptions {
  lookup: ServiceAccountLookup;
  defaultAccountTries?: number;
  retryDelayMs?: () => number;
}

const POD = { group: '', resource: 'pods' };

/** The projected volume upstream mounts for API access (`TokenVolumeSource`). */
export function tokenVolume(name: string): Volume {
  return {
    name,
    projected: {
      defaultMode: 0o644,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    },
  };
}

/** Why a mirror pod is refused, if it is. */
function mirrorPodRefusal(pod: Pod): string | undefined {
  const spec = pod.spec;
  if (spec?.serviceAccountName) return 'a mirror pod may not reference service accounts';
  const containers: Container[] = [...(spec?.initContainers ?? []), ...(spec?.containers ?? []), ...((spec?.ephemeralContainers ?? []) as Container[])];
  const volumes = spec?.volumes ?? [];
  const secretVolume = (v: Volume): boolean =>
    v.secret !== undefined ||
    (v.projected?.sources ?? []).some((s) => s.secret !== undefined) ||
    [v.azureFile?.secretName, v.cephfs?.secretRef, v.cinder?.secretRef, v.flexVolume?.secretRef, v.iscsi?.secretRef, v.rbd?.secretRef, v.scaleIO?.secretRef, v.storageos?.secretRef, v.csi?.nodePublishSecretRef].some(
      (ref) => ref !== undefined,
    );
  const secrets =
    (spec?.imagePullSecrets ?? []).length > 0 ||
    volumes.some(secretVolume) ||
    containers.some((c) => (c.envFrom ?? []).some((e) => e.secretRef !== undefined) || (c.env ?? []).some((e) => e.valueFrom?.secretKeyRef !== undefined));
  if (secrets) return 'a mirror pod may not reference secrets';
  const configMaps =
    volumes.some((v) => v.configMap !== undefined || (v.projected?.sources ?? []).some((s) => s.configMap !== undefined)) ||
    containers.some((c) => (c.envFrom ?? []).some((e) => e.configMapRef !== undefined) || (c.env ?? []).some((e) => e.valueFrom?.configMapKeyRef !== undefined));
  if (configMaps) return 'a mirror pod may not reference configmaps';
  if (volumes.some((v) => (v.projected?.sources ?? []).some((s) => s.serviceAccountToken !== undefined))) {
    return 'a mirror pod may not use ServiceAccountToken volume projections';
  }
  return undefined;
}

function shouldAutomount(account: ServiceAccount, pod: Pod): boolean {
  return pod.spec?.automountServiceAccountToken ?? account.automountServiceAccountToken ?? true;
}

function mountToken(pod: Pod): void {
  const spec = pod.spec;
  if (spec === undefined) return;
  const existing = (spec.volumes ?? []).find((v) => v.name.startsWith(TOKEN_VOLUME_PREFIX));
  const volumeName = existing?.name ?? generateName(TOKEN_VOLUME_PREFIX);
  let needed = false;
  for (const container of [...(spec.initContainers ?? []), ...spec.containers]) {
    if ((container.volumeMounts ?? []).some((m) => m.mountPath === API_TOKEN_MOUNT_PATH)) continue;
    (container as { volumeMounts?: unknown[] }).volumeMounts = [...(container.volumeMounts ?? []), { name: volumeName, readOnly: true, mountPath: API_TOKEN_MOUNT_PATH }];
    needed = true;
  }
  if (needed && existing === undefined) (spec as { volumes?: Volume[] }).volumes = [...(spec.volumes ?? []), tokenVolume(volumeName)];
}

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

async function findAccount(options: ServiceAccountAdmissionOptions, namespace: string, name: string): Promise<ServiceAccount | undefined> {
  const tries = name === DEFAULT_SERVICE_ACCOUNT ? (options.defaultAccountTries ?? 10) : 1;
  const delay = options.retryDelayMs?.() ?? 100 + Math.floor(Math.random() * 100);
  for (let attempt = 0; attempt < tries; attempt++) {
    if (attempt > 0) await sleep(delay);
    const account = await options.lookup(namespace, name);
    if (account !== undefined) return account;
  }
  return undefined;
}

/** Admits (and mutates) `pod`, about to be created in `namespace`; throws upstream's 403s. */
export async function admitPodServiceAccount(pod: Pod, namespace: string, options: ServiceAccountAdmissionOptions): Promise<void> {
  const podName = pod.metadata?.name ?? '';
  if (pod.metadata?.annotations?.[MIRROR_POD_ANNOTATION] !== undefined) {
    const refusal = mirrorPodRefusal(pod);
    if (refusal !== undefined) throw forbidden(POD, podName, refusal);
    return;
  }
  const spec = (pod.spec ?? { containers: [] }) as NonNullable<Pod['spec']> & { serviceAccountName?: string; serviceAccount?: string; imagePullSecrets?: unknown[] };
  pod.spec = spec;
  if (!spec.serviceAccountName) {
    spec.serviceAccountName = DEFAULT_SERVICE_ACCOUNT;
    spec.serviceAccount = DEFAULT_SERVICE_ACCOUNT;
  }
  const name = spec.serviceAccountName;
  const account = await findAccount(options, namespace, name);
  if (account === undefined) throw forbidden(POD, podName, `error looking up service account ${namespace}/${name}: serviceaccount "${name}" not found`);
  if (shouldAutomount(account, pod)) mountToken(pod);
  if ((spec.imagePullSecrets ?? []).length === 0 && (account.imagePullSecrets ?? []).length > 0) {
    spec.imagePullSecrets = (account.imagePullSecrets ?? []).map((s) => ({ name: s.name }));
  }
}
