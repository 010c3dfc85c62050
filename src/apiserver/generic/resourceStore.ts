/**
 * The generic registry store: create, read, update and delete of one resource over
 * the Store, with the rules every resource shares (system metadata, validation,
 * optimistic concurrency, finalizers, graceful deletion, dry-run). What differs per
 * resource comes from its Strategy.
 */
import type { KubeObject } from '../../api/object.js';
import { deepCopy } from '../../api/object.js';
import type { ResourceInfo } from '../../api/resources.js';
import type { FieldError } from '../../api/status.js';
import { StatusError, alreadyExists, badRequest, conflict, invalid, notFound, tooLarge } from '../../api/status.js';
import type { ListOptions, ListResult, Preconditions, Store, StoreWatch, WatchHandlers } from '../../storage/store.js';
import { StorageError } from '../../storage/store.js';
import type { Strategy } from '../registry/strategy.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../registry/objectMeta.js';
import { storedApiVersion } from '../registry/shapes.js';
import type { WatchCache } from '../watchcache/watchCache.js';
import { fillCreateMeta, fillUpdateMeta, formatTime } from './objectMetaFill.js';

/** Who writes, and how: passed to every write. */
export interface WriteContext {
  /** `dryRun=All`: run everything, persist nothing. */
  dryRun: boolean;
  /** The field manager recorded in managedFields. */
  fieldManager: string;
  now: Date;
  /** True when server-side apply produced the object and already recorded its managedFields. */
  applied?: boolean;
}

/** Records field ownership for non-apply writes (server-side apply bookkeeping). */
export interface ManagedFieldsRecorder {
  /** Sets `updated.metadata.managedFields` so they record this write by `write.manager`. */
  recordUpdate(old: KubeObject | undefined, updated: KubeObject, write: { manager: string; subresource: string; now: Date }): void;
}

/** `metav1.DeleteOptions`, as far as deletion semantics go. */
export interface DeleteOptions {
  gracePeriodSeconds?: number;
  preconditions?: Preconditions;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  orphanDependents?: boolean;
}

/** The outcome of a delete: the object is gone, or still present while it terminates. */
export interface DeleteResult {
  object: KubeObject;
  deleted: boolean;
}

/** Per-resource rules of graceful deletion (pods); absent = delete at once. */
export interface GracefulDeletion {
  /** The grace period to use, or 0 to delete at once. */
  gracePeriod(obj: KubeObject, requested: number | undefined): number;
}

/** Dependencies a ResourceStore needs from the server. */
export interface ResourceStoreDeps {
  store: Store;
  cache: WatchCache;
  strategy: Strategy;
  managedFields?: ManagedFieldsRecorder;
  graceful?: GracefulDeletion;
  /** Checks the namespace may receive `name`, a new object (exists, not terminating); throws a StatusError. */
  admitNamespace?(namespace: string, name: string): Promise<void>;
  /** Mutating admission of a new object (after defaults, before validation); throws a StatusError to refuse it. */
  admitCreate?(namespace: string, obj: KubeObject): Promise<void>;
  /** Validating admission of a new object (after validation, named); throws a StatusError to refuse it. */
  validateCreate?(namespace: string, obj: KubeObject, options: { dryRun: boolean; now: number }): Promise<void>;
  /** Validating admission of an update of the object itself (not a subresource), after validation; throws a StatusError to refuse it. */
  validateUpdate?(namespace: string, obj: KubeObject, old: KubeObject): void;
}

const ORPHAN_FINALIZER = 'orphan';
const FOREGROUND_FINALIZER = 'foregroundDeletion';

/** The generic store of one resource. */
export class ResourceStore {
  readonly info: ResourceInfo;
  readonly prefix: string;
  private readonly deps: ResourceStoreDeps;

  constructor(info: ResourceInfo, deps: ResourceStoreDeps) {
    this.info = info;
    this.prefix = `/registry/${info.storageResource}/`;
    this.deps = deps;
  }

  /** The watch cache of this resource. */
  get cache(): WatchCache {
    return this.deps.cache;
  }

  /** The strategy of this resource. */
  get strategy(): Strategy {
    return this.deps.strategy;
  }

  /** The storage key of `name` in `namespace` ('' for cluster-scoped). */
  key(namespace: string, name: string): string {
    return this.info.namespaced ? `${this.prefix}${namespace}/${name}` : `${this.prefix}${name}`;
  }

  /** The key prefix holding all objects of `namespace` ('' = all namespaces). */
  listPrefix(namespace: string): string {
    return this.info.namespaced && namespace !== '' ? `${this.prefix}${namespace}/` : this.prefix;
  }

  /** Reads one object from storage (a consistent read). */
  async get(namespace: string, name: string): Promise<KubeObject> {
    try {
      return await this.deps.store.get(this.key(namespace, name));
    } catch (err) {
      throw this.translate(err, name);
    }
  }

  /** Lists storage directly (consistent, paginated or exact-revision reads). */
  list(prefix: string, options: ListOptions): Promise<ListResult> {
    return this.deps.store.list(prefix, options);
  }

  /** The storage's current revision. */
  currentRevisionOfStorage(): Promise<number> {
    return this.deps.store.currentRevision();
  }

  /** A storage watch for watchers older than the cache's event window. */
  watchStorage(prefix: string, afterRevision: number, handlers: WatchHandlers): StoreWatch {
    return this.deps.store.watch(prefix, afterRevision, handlers);
  }

  /** Creates `obj` in `namespace`. */
  async create(namespace: string, input: KubeObject, ctx: WriteContext): Promise<KubeObject> {
    const obj = this.normalize(input, namespace);
    if (obj.metadata.resourceVersion) {
      throw badRequest('resourceVersion should not be set on objects to be created');
    }
    const { strategy } = this.deps;
    strategy.applyDefaults?.(obj);
    await this.deps.admitCreate?.(namespace, obj);
    strategy.prepareForCreate?.(obj);
    fillCreateMeta(obj, ctx.now, strategy.tracksGeneration === true);
    this.validate(obj, [...this.metaErrors(obj), ...(strategy.validate?.(obj) ?? [])]);
    if (this.info.namespaced) await this.deps.admitNamespace?.(namespace, obj.metadata.name ?? '');
    await this.deps.validateCreate?.(namespace, obj, { dryRun: ctx.dryRun, now: ctx.now.getTime() });
    if (!ctx.applied) this.deps.managedFields?.recordUpdate(undefined, obj, { manager: ctx.fieldManager, subresource: '', now: ctx.now });
    const name = obj.metadata.name ?? '';
    const key = this.key(namespace, name);
    if (ctx.dryRun) {
      if (this.deps.cache.get(key) !== undefined) throw alreadyExists(this.groupResource(), name);
      return obj;
    }
    try {
      return await this.deps.store.create(key, obj);
    } catch (err) {
      throw this.translate(err, name);
    }
  }

  /**
   * Replaces the object `name` with `input` (PUT), or its status when `subresource`
   * is `status`. A resourceVersion in the body is a precondition.
   */
  async update(
    namespace: string,
    name: string,
    input: KubeObject,
    ctx: WriteContext,
    subresource = '',
  ): Promise<KubeObject> {
    return this.updateWith(namespace, name, () => input, ctx, subresource);
  }

  /**
   * Updates `name` with the object `produce(current)` returns; used by PUT (ignores
   * current) and PATCH (derives from it). The produced object's resourceVersion, if set,
   * must match the stored one.
   */
  async updateWith(
    namespace: string,
    name: string,
    produce: (current: KubeObject) => KubeObject | Promise<KubeObject>,
    ctx: WriteContext,
    subresource = '',
  ): Promise<KubeObject> {
    const { strategy } = this.deps;
    const key = this.key(namespace, name);
    const transform = async (current: KubeObject | undefined): Promise<KubeObject> => {
      if (current === undefined) throw notFound(this.groupResource(), name);
      const obj = this.normalize(await produce(deepCopy(current)), namespace);
      if (obj.metadata.name !== name) {
        throw badRequest(`the name of the object (${obj.metadata.name ?? ''}) does not match the name on the URL (${name})`);
      }
      const wanted = obj.metadata.resourceVersion;
      if (wanted && wanted !== current.metadata.resourceVersion) throw conflict(this.groupResource(), name);
      this.prepareUpdate(obj, current, subresource);
      fillUpdateMeta(obj, current, strategy.tracksGeneration === true);
      const errors =
        subresource === 'status'
          ? [...validateObjectMetaUpdate(obj, current), ...(strategy.validateStatusUpdate?.(obj, current) ?? [])]
          : [
              ...this.metaErrors(obj),
              ...validateObjectMetaUpdate(obj, current),
              ...(strategy.validate?.(obj) ?? []),
              ...(strategy.validateUpdate?.(obj, current) ?? []),
            ];
      this.validate(obj, errors);
      if (subresource === '') this.deps.validateUpdate?.(namespace, obj, current);
      if (!ctx.applied) this.deps.managedFields?.recordUpdate(current, obj, { manager: ctx.fieldManager, subresource, now: ctx.now });
      obj.metadata.resourceVersion = current.metadata.resourceVersion;
      return obj;
    };
    if (ctx.dryRun) {
      return transform(await this.get(namespace, name));
    }
    let updated: KubeObject;
    try {
      updated = await this.deps.store.guaranteedUpdate(key, undefined, transform);
    } catch (err) {
      throw this.translate(err, name);
    }
    return this.deleteIfFinished(namespace, name, updated);
  }

  /**
   * Changes `name` with `mutate`, bypassing the strategy's update rules: for
   * subresources whose own checks replace them (pods/binding sets the immutable
   * `spec.nodeName`). Metadata bookkeeping and managedFields still apply.
   */
  async updateDirect(
    namespace: string,
    name: string,
    mutate: (current: KubeObject) => KubeObject,
    ctx: WriteContext,
    subresource: string,
  ): Promise<KubeObject> {
    const transform = (current: KubeObject | undefined): KubeObject => {
      if (current === undefined) throw notFound(this.groupResource(), name);
      const obj = mutate(deepCopy(current));
      fillUpdateMeta(obj, current, this.deps.strategy.tracksGeneration === true);
      this.deps.managedFields?.recordUpdate(current, obj, { manager: ctx.fieldManager, subresource, now: ctx.now });
      return obj;
    };
    if (ctx.dryRun) return transform(await this.get(namespace, name));
    let updated: KubeObject;
    try {
      updated = await this.deps.store.guaranteedUpdate(this.key(namespace, name), undefined, transform);
    } catch (err) {
      throw this.translate(err, name);
    }
    return this.deleteIfFinished(namespace, name, updated);
  }

  /** An update that leaves a deleted object nothing to wait for removes it. */
  private async deleteIfFinished(namespace: string, name: string, updated: KubeObject): Promise<KubeObject> {
    if (!this.shouldDeleteDuringUpdate(updated)) return updated;
    return (await this.deleteNow(namespace, name, { resourceVersion: updated.metadata.resourceVersion ?? '' })).object;
  }

  /**
   * Server-side apply's write: updates `name` with `produce(current)`, or, on the
   * resource itself, creates it from `produce(undefined)` when it does not exist yet.
   */
  async upsertWith(
    namespace: string,
    name: string,
    produce: (current: KubeObject | undefined) => KubeObject,
    ctx: WriteContext,
    subresource = '',
  ): Promise<{ object: KubeObject; created: boolean }> {
    const update = async () => ({ object: await this.updateWith(namespace, name, produce, ctx, subresource), created: false });
    try {
      return await update();
    } catch (err) {
      if (subresource !== '' || !(err instanceof StatusError) || err.reason !== 'NotFound') throw err;
    }
    try {
      return { object: await this.create(namespace, produce(undefined), ctx), created: true };
    } catch (err) {
      // Created by someone else meanwhile: apply to theirs.
      if (err instanceof StatusError && err.reason === 'AlreadyExists') return update();
      throw err;
    }
  }

  /** Deletes `name` as `options` ask: gracefully, through finalizers, or at once. */
  async delete(namespace: string, name: string, options: DeleteOptions, ctx: WriteContext): Promise<DeleteResult> {
    const current = await this.get(namespace, name);
    checkDeletePreconditions(current, options.preconditions, this.groupResource(), name);
    const finalizers = this.finalizersAfterDelete(current, options);
    const grace = this.deps.graceful?.gracePeriod(current, options.gracePeriodSeconds) ?? 0;
    if (finalizers.length === 0 && grace === 0 && this.deps.strategy.awaitsFinalization?.(current) !== true) {
      if (ctx.dryRun) return { object: current, deleted: true };
      return this.deleteNow(namespace, name, { ...options.preconditions, uid: current.metadata.uid ?? '' });
    }
    const mark = (obj: KubeObject): KubeObject => {
      this.deps.strategy.prepareForDeletion?.(obj);
      const meta = obj.metadata;
      meta.finalizers = finalizers.length > 0 ? finalizers : undefined;
      if (meta.finalizers === undefined) delete meta.finalizers;
      const existingGrace = meta.deletionGracePeriodSeconds;
      if (meta.deletionTimestamp === undefined || existingGrace === undefined || grace < existingGrace) {
        meta.deletionTimestamp = formatTime(new Date(ctx.now.getTime() + grace * 1000));
        meta.deletionGracePeriodSeconds = grace;
      }
      return obj;
    };
    if (ctx.dryRun) return { object: mark(deepCopy(current)), deleted: false };
    try {
      const object = await this.deps.store.guaranteedUpdate(
        this.key(namespace, name),
        { uid: current.metadata.uid ?? '', ...options.preconditions },
        (obj) => mark(deepCopy(obj as KubeObject)),
      );
      if (this.shouldDeleteDuringUpdate(object)) {
        return this.deleteNow(namespace, name, { resourceVersion: object.metadata.resourceVersion ?? '' });
      }
      return { object, deleted: false };
    } catch (err) {
      throw this.translate(err, name);
    }
  }

  /** The group and resource, for error messages. */
  groupResource(): { group: string; resource: string } {
    return { group: this.info.group, resource: this.info.resource };
  }

  private async deleteNow(namespace: string, name: string, preconditions: Preconditions): Promise<DeleteResult> {
    try {
      const object = await this.deps.store.delete(this.key(namespace, name), preconditions);
      return { object, deleted: true };
    } catch (err) {
      throw this.translate(err, name);
    }
  }

  /** Finalizers the object keeps once deletion starts, with the propagation finalizer added. */
  private finalizersAfterDelete(current: KubeObject, options: DeleteOptions): string[] {
    const finalizers = [...(current.metadata.finalizers ?? [])];
    const policy = options.propagationPolicy ?? (options.orphanDependents === true ? 'Orphan' : undefined);
    const add = policy === 'Foreground' ? FOREGROUND_FINALIZER : policy === 'Orphan' ? ORPHAN_FINALIZER : undefined;
    const drop = policy === 'Foreground' ? ORPHAN_FINALIZER : policy === 'Orphan' ? FOREGROUND_FINALIZER : undefined;
    const kept = finalizers.filter((f) => f !== drop);
    // A propagation finalizer only matters while an object has dependents to handle;
    // the garbage collector removes it. Objects already being deleted keep what they have.
    if (add !== undefined && !kept.includes(add) && current.metadata.deletionTimestamp === undefined) kept.push(add);
    return kept;
  }

  /** An object marked for deletion with no finalizers and no grace left goes away on update. */
  private shouldDeleteDuringUpdate(obj: KubeObject): boolean {
    const meta = obj.metadata;
    return (
      meta.deletionTimestamp !== undefined &&
      (meta.finalizers ?? []).length === 0 &&
      (meta.deletionGracePeriodSeconds ?? 0) === 0 &&
      this.deps.strategy.awaitsFinalization?.(obj) !== true
    );
  }


  private prepareUpdate(obj: KubeObject, current: KubeObject, subresource: string): void {
    const { strategy } = this.deps;
    if (subresource === 'status') {
      strategy.prepareForStatusUpdate?.(obj, current);
      // Defaulting (e.g. canonical quantities) applies to every write, as upstream decodes every body with defaults.
      strategy.applyDefaults?.(obj);
      return;
    }
    strategy.applyDefaults?.(obj);
    strategy.prepareForUpdate?.(obj, current);
  }

  /** Sets apiVersion/kind and the namespace from the URL; rejects a mismatching namespace. */
  private normalize(input: KubeObject, namespace: string): KubeObject {
    const obj = input;
    obj.apiVersion = storedApiVersion(this.info);
    obj.kind = this.info.kind;
    if (this.info.namespaced) {
      const bodyNamespace = obj.metadata.namespace;
      if (bodyNamespace && bodyNamespace !== namespace) {
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      obj.metadata.namespace = namespace;
    } else {
      delete obj.metadata.namespace;
    }
    return obj;
  }

  private metaErrors(obj: KubeObject): FieldError[] {
    return validateObjectMeta(obj, {
      namespaced: this.info.namespaced,
      nameValidation: this.deps.strategy.nameValidation ?? 'dns1123Subdomain',
    });
  }

  private validate(obj: KubeObject, errors: FieldError[]): void {
    if (errors.length > 0) {
      throw invalid(this.info.kind, this.info.group, obj.metadata.name ?? obj.metadata.generateName ?? '', errors);
    }
  }

  /** Maps storage errors to API errors. */
  private translate(err: unknown, name: string): unknown {
    if (!(err instanceof StorageError)) return err;
    const gr = this.groupResource();
    switch (err.kind) {
      case 'NotFound':
        return notFound(gr, name);
      case 'AlreadyExists':
        return alreadyExists(gr, name);
      case 'Conflict':
        return conflict(gr, name);
      case 'TooLarge':
        return tooLarge(`Request entity too large: ${err.message}`);
      default:
        return new StatusError(500, 'InternalError', `Internal error occurred: ${err.message}`);
    }
  }
}

/** Upstream's precondition failures on delete are 409 Conflicts naming the mismatch. */
function checkDeletePreconditions(
  current: KubeObject,
  preconditions: Preconditions | undefined,
  gr: { group: string; resource: string },
  name: string,
): void {
  if (preconditions?.uid && preconditions.uid !== current.metadata.uid) {
    throw conflict(gr, name, `Precondition failed: UID in precondition: ${preconditions.uid}, UID in object meta: ${current.metadata.uid ?? ''}`);
  }
  if (preconditions?.resourceVersion && preconditions.resourceVersion !== current.metadata.resourceVersion) {
    throw conflict(
      gr,
      name,
      `Precondition failed: ResourceVersion in precondition: ${preconditions.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion ?? ''}`,
    );
  }
}
