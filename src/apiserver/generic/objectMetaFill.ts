/**
 * System-owned ObjectMeta fields: what the server fills in on create and carries
 * over on update, whatever the client sent (uid, creationTimestamp, generation,
 * deletion fields, generated names).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../../api/object.js';
import { SAFE_ALPHABET } from '../../api/safeNames.js';

const GENERATED_SUFFIX_LENGTH = 5;
const MAX_GENERATE_NAME_PREFIX = 63 - GENERATED_SUFFIX_LENGTH;

/** The RFC 3339 second-precision timestamp Kubernetes uses for metav1.Time. */
export function formatTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `generateName` plus five random characters, the prefix cut to fit a 63-character name. */
export function generateName(prefix: string): string {
  const bytes = randomBytes(GENERATED_SUFFIX_LENGTH);
  let suffix = '';
  for (const byte of bytes) suffix += SAFE_ALPHABET[byte % SAFE_ALPHABET.length];
  return prefix.slice(0, MAX_GENERATE_NAME_PREFIX) + suffix;
}

/** Fills the system fields of an object about to be created. */
export function fillCreateMeta(obj: KubeObject, now: Date, tracksGeneration: boolean): void {
  const meta = obj.metadata;
  if (!meta.name && meta.generateName) meta.name = generateName(meta.generateName);
  meta.uid = randomUUID();
  meta.creationTimestamp = formatTime(now);
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  delete meta.selfLink;
  delete meta.resourceVersion;
  if (tracksGeneration) meta.generation = 1;
  else delete meta.generation;
}

/** Everything but metadata and status: the part whose change bumps the generation. */
function specPart(obj: KubeObject): Record<string, unknown> {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = obj;
  return rest;
}

/**
 * Carries system fields from `old` into an update, and bumps the generation when
 * anything outside metadata and status changed.
 */
export function fillUpdateMeta(obj: KubeObject, old: KubeObject, tracksGeneration: boolean): void {
  const meta = obj.metadata;
  const oldMeta = old.metadata;
  meta.creationTimestamp = oldMeta.creationTimestamp;
  if (!meta.uid) meta.uid = oldMeta.uid;
  if (oldMeta.deletionTimestamp !== undefined) meta.deletionTimestamp = oldMeta.deletionTimestamp;
  else delete meta.deletionTimestamp;
  if (oldMeta.deletionGracePeriodSeconds !== undefined) meta.deletionGracePeriodSeconds = oldMeta.deletionGracePeriodSeconds;
  else delete meta.deletionGracePeriodSeconds;
  delete meta.selfLink;
  if (tracksGeneration) {
    const generation = oldMeta.generation ?? 1;
    meta.generation = isDeepStrictEqual(specPart(obj), specPart(old)) ? generation : generation + 1;
  } else if (oldMeta.generation !== undefined) {
    meta.generation = oldMeta.generation;
  } else {
    delete meta.generation;
  }
}
