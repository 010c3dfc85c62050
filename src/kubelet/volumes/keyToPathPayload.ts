/**
 * The payload of a configMap or secret (as a volume or a projected source), as
 * upstream's MakePayload builds it: every key as a file of the same name when no
 * items are listed, else just the listed keys at their paths; each file's mode is
 * its item's mode or the default mode. A listed key the source lacks fails the
 * volume unless the source is optional.
 */
import type { ConfigMap, KeyToPath, Secret } from 'kubernetes-types/core/v1.js';
import type { Payload } from './atomicWriter.js';
import { VolumeSourceError } from './errors.js';

/** Upstream's default mode of configMap, secret, downwardAPI and projected files (0644). */
export const DEFAULT_FILE_MODE = 0o644;

/** What a key-to-path source says about its files. */
export interface KeyToPathSource {
  items?: KeyToPath[];
  optional?: boolean;
}

function projectKeys(contents: Map<string, Buffer>, source: KeyToPathSource, defaultMode: number, missingKey: (key: string) => string): Payload {
  const payload: Payload = new Map();
  if (source.items === undefined || source.items.length === 0) {
    for (const [key, data] of contents) payload.set(key, { data, mode: defaultMode });
    return payload;
  }
  for (const item of source.items) {
    const data = contents.get(item.key);
    if (data === undefined) {
      if (source.optional === true) continue;
      throw new VolumeSourceError(missingKey(item.key));
    }
    payload.set(item.path, { data, mode: item.mode ?? defaultMode });
  }
  return payload;
}

/** The files of `configMap` (data and binaryData); undefined (a missing optional configMap) gives none. */
export function configMapPayload(configMap: ConfigMap | undefined, source: KeyToPathSource, defaultMode: number): Payload {
  const contents = new Map<string, Buffer>();
  for (const [key, value] of Object.entries(configMap?.data ?? {})) contents.set(key, Buffer.from(value, 'utf8'));
  for (const [key, value] of Object.entries(configMap?.binaryData ?? {})) contents.set(key, Buffer.from(value, 'base64'));
  return projectKeys(contents, source, defaultMode, (key) => `configmap references non-existent config key: ${key}`);
}

/** The files of `secret` (its base64 data decoded); undefined (a missing optional secret) gives none. */
export function secretPayload(secret: Secret | undefined, source: KeyToPathSource, defaultMode: number): Payload {
  const contents = new Map<string, Buffer>();
  for (const [key, value] of Object.entries(secret?.data ?? {})) contents.set(key, Buffer.from(value, 'base64'));
  return projectKeys(contents, source, defaultMode, (key) => `references non-existent secret key: ${key}`);
}
