/**
 * The kubelet's volume manager: makes a pod's volumes exist on the host under
 * `<podsDir>/<uid>/volumes/kubernetes.io~<plugin>/<name>/` and says what to bind into
 * each container.
 *
 * - emptyDir: a 0777 directory; medium Memory mounts tmpfs there (`size=` from sizeLimit).
 * - configMap (on disk), secret, downwardAPI, projected (on tmpfs, as upstream keeps
 *   them off disk): contents written by the atomic writer; `refresh` re-projects them.
 * - hostPath: the host path itself, after its type check; nothing under the pod dir.
 * Other volume types fail set-up. Contracts: `setUp` is idempotent and sets up every
 * volume it can, then throws VolumeMountError listing the rest (FailedMount events);
 * `tearDown` unmounts and removes everything under the pod's volumes dir and is safe to
 * repeat; nothing here touches /etc/hosts or other kubelet-managed files.
 */
import { chmod, mkdir, readdir, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Container, Pod, Volume } from 'kubernetes-types/core/v1.js';
import { parseQuantity } from '../../api/quantity.js';
import { realClock } from '../../client/clock.js';
import type { Clock } from '../../client/clock.js';
import type { Mount, MountPropagation } from '../../runtime/cri/types.js';
import { forgetWrittenPayloads, writeAtomically } from './atomicWriter.js';
import type { NodeFacts } from './downwardApiPayload.js';
import { VolumeMountConfigError, VolumeMountError, setUpFailedMessage } from './errors.js';
import type { VolumeSetUpFailure } from './errors.js';
import { checkHostPathType } from './hostPath.js';
import { applyFsGroup } from './ownership.js';
import { ServiceAccountTokens } from './serviceAccountTokens.js';
import type { VolumeSourceResolver } from './sourceResolver.js';
import { resolveSubPath } from './subPath.js';
import { isMountPoint, mountTmpfs, mountsUnder, unmount } from './tmpfsMounter.js';
import { volumePayload } from './volumeContents.js';

/** What a VolumeManager needs. */
export interface VolumeManagerOptions {
  /** The kubelet's pods directory (upstream: /var/lib/kubelet/pods). */
  podsDir: string;
  resolver: VolumeSourceResolver;
  /** Names timestamped data dirs and ages tokens (default: the real clock). */
  clock?: Clock;
  /** Node allocatable, for resourceFieldRef of containers without limits. */
  node?: NodeFacts;
}

/** The result of `setUp`: the CRI mounts of each container. */
export interface PodVolumes {
  /**
   * The container's volumeMounts as CRI mounts, in order. Throws VolumeMountConfigError
   * for a mount naming no volume or a bad subPath (upstream: CreateContainerConfigError).
   */
  mounts(container: Container): Promise<Mount[]>;
}

type PluginName = 'empty-dir' | 'configmap' | 'secret' | 'downward-api' | 'projected';

const CONTENT_PLUGINS: Readonly<Record<string, PluginName>> = {
  configMap: 'configmap',
  secret: 'secret',
  downwardAPI: 'downward-api',
  projected: 'projected',
};
const MEMORY_BACKED: ReadonlySet<PluginName> = new Set(['secret', 'downward-api', 'projected']);

const PROPAGATION: Readonly<Record<string, MountPropagation>> = {
  None: 'PROPAGATION_PRIVATE',
  HostToContainer: 'PROPAGATION_HOST_TO_CONTAINER',
  Bidirectional: 'PROPAGATION_BIDIRECTIONAL',
};

function pluginOf(volume: Volume): PluginName | undefined {
  if (volume.emptyDir !== undefined) return 'empty-dir';
  for (const [field, plugin] of Object.entries(CONTENT_PLUGINS)) {
    if ((volume as unknown as Record<string, unknown>)[field] !== undefined) return plugin;
  }
  return undefined;
}

function volumeTypeName(volume: Volume): string {
  return Object.keys(volume).find((key) => key !== 'name') ?? 'unknown';
}

function checkedUid(podUid: string): string {
  if (podUid === '' || podUid === '.' || podUid === '..' || podUid.includes('/')) throw new Error(`invalid pod UID ${JSON.stringify(podUid)}`);
  return podUid;
}

/** Sets up, refreshes and tears down pods' volumes; see the module comment. */
export class VolumeManager {
  readonly #podsDir: string;
  readonly #resolver: VolumeSourceResolver;
  readonly #clock: Clock;
  readonly #node: NodeFacts;
  readonly #tokens: ServiceAccountTokens;

  constructor(options: VolumeManagerOptions) {
    this.#podsDir = options.podsDir;
    this.#resolver = options.resolver;
    this.#clock = options.clock ?? realClock;
    this.#node = options.node ?? {};
    this.#tokens = new ServiceAccountTokens(this.#resolver, this.#clock);
  }

  /** The directory of the pod's volumes. */
  podVolumesDir(podUid: string): string {
    return join(this.#podsDir, checkedUid(podUid), 'volumes');
  }

  /** Where `volume` of the pod lives on the host (hostPath: the host path). */
  volumePath(podUid: string, volume: Volume): string {
    if (volume.hostPath !== undefined) return volume.hostPath.path;
    const plugin = pluginOf(volume);
    if (plugin === undefined) throw new Error(`volume type ${volumeTypeName(volume)} is not supported`);
    return join(this.podVolumesDir(podUid), `kubernetes.io~${plugin}`, volume.name);
  }

  /** Sets up every volume of `pod`; see the module comment for the error contract. */
  async setUp(pod: Pod): Promise<PodVolumes> {
    await this.#eachVolume(pod.spec?.volumes ?? [], (volume) => this.#setUpVolume(pod, volume));
    return { mounts: (container) => this.#mounts(pod, container) };
  }

  /**
   * Re-projects the configMap/secret/downwardAPI/projected volumes of `pod` from their
   * current sources (atomic swap; unchanged contents are left alone). Failures throw
   * VolumeMountError as `setUp` does; the old contents stay in place.
   */
  async refresh(pod: Pod): Promise<void> {
    const contentVolumes = (pod.spec?.volumes ?? []).filter((volume) => {
      const plugin = pluginOf(volume);
      return plugin !== undefined && plugin !== 'empty-dir';
    });
    await this.#eachVolume(contentVolumes, (volume) => this.#setUpVolume(pod, volume));
  }

  /** Unmounts and removes all the pod's volumes (never hostPath contents); a no-op when there are none. */
  async tearDown(podUid: string): Promise<void> {
    const root = this.podVolumesDir(podUid);
    for (const mount of await mountsUnder(root)) await unmount(mount.path);
    await rm(root, { recursive: true, force: true });
    forgetWrittenPayloads(root);
    this.#tokens.forgetPod(podUid);
  }

  /**
   * Tears down the volumes of every pod directory whose UID is not in `knownUids`
   * and removes those pod directories when nothing else is left in them. Returns the
   * UIDs it cleaned.
   */
  async cleanupOrphans(knownUids: Iterable<string>): Promise<string[]> {
    const known = new Set(knownUids);
    let entries: string[];
    try {
      entries = await readdir(this.#podsDir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const cleaned: string[] = [];
    for (const uid of entries) {
      if (known.has(uid)) continue;
      await this.tearDown(uid);
      await rmdir(join(this.#podsDir, uid)).catch(() => undefined);
      cleaned.push(uid);
    }
    return cleaned;
  }

  async #eachVolume(volumes: Volume[], setUpOne: (volume: Volume) => Promise<void>): Promise<void> {
    const failures: VolumeSetUpFailure[] = [];
    for (const volume of volumes) {
      try {
        await setUpOne(volume);
      } catch (err) {
        failures.push({ volumeName: volume.name, eventMessage: setUpFailedMessage(volume.name, (err as Error).message) });
      }
    }
    if (failures.length > 0) throw new VolumeMountError(failures);
  }

  async #setUpVolume(pod: Pod, volume: Volume): Promise<void> {
    if (volume.hostPath !== undefined) {
      await checkHostPathType(volume.hostPath.path, volume.hostPath.type);
      return;
    }
    const uid = pod.metadata?.uid ?? '';
    const dir = this.volumePath(uid, volume);
    const plugin = pluginOf(volume) as PluginName;
    const fsGroup = pod.spec?.securityContext?.fsGroup;
    const created = await this.#prepareDir(dir, plugin, volume);
    if (plugin === 'empty-dir') {
      if (created && fsGroup !== undefined) await applyFsGroup(dir, fsGroup, false);
      return;
    }
    const payload = await volumePayload(pod, volume, { resolver: this.#resolver, tokens: this.#tokens, node: this.#node });
    const applyGroup = fsGroup === undefined ? undefined : (dataDir: string) => applyFsGroup(dataDir, fsGroup, true);
    await writeAtomically(dir, payload ?? new Map(), this.#clock, applyGroup);
    if (created && fsGroup !== undefined) await applyFsGroup(dir, fsGroup, true);
  }

  /** Creates the volume dir (and its tmpfs) when missing; true when it did. */
  async #prepareDir(dir: string, plugin: PluginName, volume: Volume): Promise<boolean> {
    const memory = plugin === 'empty-dir' ? volume.emptyDir?.medium === 'Memory' : MEMORY_BACKED.has(plugin);
    if (memory && (await isMountPoint(dir))) return false;
    const made = (await mkdir(dir, { recursive: true })) !== undefined;
    if (memory) {
      const limit = volume.emptyDir?.sizeLimit;
      await mountTmpfs(dir, limit === undefined ? undefined : parseQuantity(String(limit)).value());
    }
    if (plugin === 'empty-dir' && (made || memory)) await chmod(dir, 0o777);
    return made || memory;
  }

  async #mounts(pod: Pod, container: Container): Promise<Mount[]> {
    const uid = pod.metadata?.uid ?? '';
    const mounts: Mount[] = [];
    for (const volumeMount of container.volumeMounts ?? []) {
      const volume = (pod.spec?.volumes ?? []).find((candidate) => candidate.name === volumeMount.name);
      if (volume === undefined) {
        throw new VolumeMountConfigError(`cannot find volume "${volumeMount.name}" to mount into container "${container.name}"`);
      }
      const plugin = pluginOf(volume);
      let hostPath = this.volumePath(uid, volume);
      if (volumeMount.subPath) hostPath = await resolveSubPath(hostPath, volumeMount.subPath, volumeMount.name, container.name);
      const apiData = plugin !== undefined && plugin !== 'empty-dir';
      mounts.push({
        containerPath: volumeMount.mountPath,
        hostPath,
        readonly: volumeMount.readOnly === true || apiData,
        selinuxRelabel: false,
        propagation: PROPAGATION[volumeMount.mountPropagation ?? 'None'] ?? 'PROPAGATION_PRIVATE',
      });
    }
    return mounts;
  }
}
