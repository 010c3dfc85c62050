/**
 * Volume sources read through watches, as upstream's watch-based ConfigMap and Secret
 * managers do: each ConfigMap or Secret a pod's volume names gets one single-object
 * watch (field selector `metadata.name`), reads are served from its cache, and a change
 * is reported at once, so updates reach mounted files without polling the API on every
 * pod sync. `retain` ends the watches no pod references any more. Tokens are not
 * cached here (ServiceAccountTokens does that) and go to the fallback resolver.
 */
import type { ConfigMap, Pod, Secret, Volume } from 'kubernetes-types/core/v1.js';
import { SharedInformer, sleep } from '../../client/index.js';
import type { Clock, RestClient } from '../../client/index.js';
import type { KubeObject } from '../../api/object.js';
import type { ServiceAccountTokenRequest, VolumeSourceResolver } from './sourceResolver.js';

/** The API resources a volume can read objects from. */
export type WatchedResource = 'configmaps' | 'secrets';

/** One object a pod's volumes read. */
export interface VolumeSourceReference {
  resource: WatchedResource;
  namespace: string;
  name: string;
}

/** How long a first read waits for its watch to list the object. */
const SYNC_TIMEOUT_MS = 10_000;

/** Every ConfigMap and Secret `pod`'s volumes read (directly or through projected sources). */
export function volumeSourceReferences(pod: Pod): VolumeSourceReference[] {
  const namespace = pod.metadata?.namespace ?? '';
  const references: VolumeSourceReference[] = [];
  const add = (resource: WatchedResource, name: string | undefined): void => {
    if (name !== undefined && name !== '') references.push({ resource, namespace, name });
  };
  const fromVolume = (volume: Volume): void => {
    add('configmaps', volume.configMap?.name);
    add('secrets', volume.secret?.secretName);
    for (const source of volume.projected?.sources ?? []) {
      add('configmaps', source.configMap?.name);
      add('secrets', source.secret?.name);
    }
  };
  for (const volume of pod.spec?.volumes ?? []) fromVolume(volume);
  return references;
}

interface ObjectWatch {
  informer: SharedInformer<KubeObject>;
  stop: AbortController;
}

const keyOf = (reference: VolumeSourceReference): string => `${reference.resource}/${reference.namespace}/${reference.name}`;

/** How a WatchingSourceResolver is set up. */
export interface WatchingSourceResolverOptions {
  client: RestClient;
  /** Answers token requests. */
  fallback: VolumeSourceResolver;
  clock: Clock;
  /** Told when a watched object is created, changed or deleted after its first read. */
  onChange: (reference: VolumeSourceReference) => void;
  onError: (err: unknown, context: string) => void;
}

/** A VolumeSourceResolver over per-object watches; see the module comment. */
export class WatchingSourceResolver implements VolumeSourceResolver {
  readonly #o: WatchingSourceResolverOptions;
  readonly #watches = new Map<string, ObjectWatch>();

  constructor(options: WatchingSourceResolverOptions) {
    this.#o = options;
  }

  getConfigMap(namespace: string, name: string): Promise<ConfigMap | undefined> {
    return this.#read({ resource: 'configmaps', namespace, name }) as Promise<ConfigMap | undefined>;
  }

  getSecret(namespace: string, name: string): Promise<Secret | undefined> {
    return this.#read({ resource: 'secrets', namespace, name }) as Promise<Secret | undefined>;
  }

  createServiceAccountToken(request: ServiceAccountTokenRequest): Promise<string> {
    return this.#o.fallback.createServiceAccountToken(request);
  }

  /** Ends every watch whose object is not in `references`. */
  retain(references: Iterable<VolumeSourceReference>): void {
    const wanted = new Set([...references].map(keyOf));
    for (const [key, watch] of this.#watches) {
      if (wanted.has(key)) continue;
      watch.stop.abort();
      this.#watches.delete(key);
    }
  }

  /** Ends every watch. */
  stop(): void {
    this.retain([]);
  }

  /**
   * The object from its watch's cache (undefined when it does not exist), starting the
   * watch on first use. A watch that cannot list in time fails the read with upstream's
   * message; the mount is retried by the next sync.
   */
  async #read(reference: VolumeSourceReference): Promise<KubeObject | undefined> {
    const watch = this.#watchOf(reference);
    if (!watch.informer.hasSynced()) {
      const timeout = new AbortController();
      const synced = await Promise.race([
        watch.informer.waitForSync(watch.stop.signal),
        sleep(this.#o.clock, SYNC_TIMEOUT_MS, timeout.signal).then(() => false),
      ]);
      timeout.abort();
      if (!synced) throw new Error(`failed to sync ${reference.resource.slice(0, -1)} cache: timed out waiting for the condition`);
    }
    return watch.informer.lister.get(reference.name, reference.namespace);
  }

  #watchOf(reference: VolumeSourceReference): ObjectWatch {
    const key = keyOf(reference);
    const existing = this.#watches.get(key);
    if (existing !== undefined) return existing;
    const informer = new SharedInformer<KubeObject>({
      client: this.#o.client,
      target: { group: '', version: 'v1', resource: reference.resource, namespace: reference.namespace },
      fieldSelector: `metadata.name=${reference.name}`,
      clock: this.#o.clock,
      onError: this.#o.onError,
    });
    const changed = (): void => this.#o.onChange(reference);
    informer.addEventHandler({
      onAdd: (_obj, isInInitialList) => {
        if (!isInInitialList) changed();
      },
      onUpdate: (old, obj) => {
        if (old.metadata?.resourceVersion !== obj.metadata?.resourceVersion) changed();
      },
      onDelete: changed,
    });
    const watch: ObjectWatch = { informer, stop: new AbortController() };
    this.#watches.set(key, watch);
    void informer.run(watch.stop.signal);
    return watch;
  }
}
