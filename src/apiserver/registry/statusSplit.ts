/**
 * The spec/status split shared by every resource with a status subresource:
 * creates start from an initial status, main-resource updates keep the stored
 * status, and status updates keep everything but status (upstream
 * `ResetObjectMetaForStatus` for metadata).
 */
import { deepCopy, type KubeObject } from '../../api/object.js';
import type { Strategy } from './strategy.js';

/** Copies from `old` the metadata a status write may not change. */
export function resetMetaForStatus(obj: KubeObject, old: KubeObject): void {
  const meta = obj.metadata as Record<string, unknown>;
  const prev = old.metadata as Record<string, unknown>;
  for (const key of ['deletionTimestamp', 'generation', 'labels', 'annotations', 'finalizers', 'ownerReferences']) {
    if (prev[key] === undefined) delete meta[key];
    else meta[key] = deepCopy(prev[key]);
  }
}

/** Replaces every top-level field except metadata, status, apiVersion and kind with `old`'s. */
export function keepAllButStatus(obj: KubeObject, old: KubeObject): void {
  const fixed = new Set(['metadata', 'status', 'apiVersion', 'kind']);
  for (const key of Object.keys(obj)) {
    if (!fixed.has(key) && !(key in old)) delete obj[key];
  }
  for (const [key, value] of Object.entries(old)) {
    if (!fixed.has(key)) obj[key] = deepCopy(value);
  }
}

/** Options for `statusSubresource`. */
export interface StatusSplitOptions {
  /** The status a new object starts with (default `{}`, as upstream's zero status serialises). */
  initialStatus?: (obj: KubeObject) => unknown;
  /** Extra work after the generic status-update reset (e.g. pods keep qosClass). */
  afterStatusUpdate?: (obj: KubeObject, old: KubeObject) => void;
  /** When false, status writes may change labels and annotations (pods). Default true. */
  resetMeta?: boolean;
}

/** The `hasStatus` hooks: prepareForCreate, prepareForUpdate and prepareForStatusUpdate. */
export function statusSubresource(
  options: StatusSplitOptions = {},
): Required<Pick<Strategy, 'hasStatus' | 'prepareForCreate' | 'prepareForUpdate' | 'prepareForStatusUpdate'>> {
  return {
    hasStatus: true,
    prepareForCreate(obj) {
      obj.status = options.initialStatus ? options.initialStatus(obj) : {};
    },
    prepareForUpdate(obj, old) {
      if (old.status === undefined) delete obj.status;
      else obj.status = deepCopy(old.status);
    },
    prepareForStatusUpdate(obj, old) {
      keepAllButStatus(obj, old);
      if (options.resetMeta !== false) resetMetaForStatus(obj, old);
      options.afterStatusUpdate?.(obj, old);
    },
  };
}
