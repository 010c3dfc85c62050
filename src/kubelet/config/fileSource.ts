/**
 * The static pods of a manifest directory (upstream's kubelet file source): every
 * regular, non-hidden file holds one Pod (YAML or JSON). The directory is read once at
 * start, again whenever fs.watch reports a change in it, and every rescan period (20 s,
 * as upstream) in case a change slipped past the watch. After each read that changes
 * the set of pods, `onPods` gets the whole set. A file that cannot be read or parsed
 * is reported to `onError` (once per content) and contributes no pod; a missing
 * directory holds no pods.
 *
 *   const source = new FileSource({ dir, nodeName, clock, onPods, onError });
 *   await source.start(signal);   // resolves after the first read (onPods called once)
 */
import { watch, type FSWatcher } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { sleep, type Clock } from '../../client/index.js';
import { apiTime } from '../pod/podHelpers.js';
import { CONFIG_SEEN_ANNOTATION } from './podSource.js';
import { parsePodManifest, staticPodFromManifest } from './staticPod.js';

/** Upstream's file check frequency. */
export const DEFAULT_RESCAN_PERIOD_MS = 20_000;
/** How long after a watch event the directory is read, so a burst of events makes one read. */
const WATCH_SETTLE_MS = 100;

/** How a FileSource is set up. */
export interface FileSourceOptions {
  /** The pod manifest directory. */
  dir: string;
  nodeName: string;
  clock: Clock;
  /** Gets every static pod, after the first read and after each read that changed the set. */
  onPods: (pods: readonly Pod[]) => void;
  /** Told about a manifest that cannot be read or parsed (`path` is the file) or a failed read of the directory. */
  onError: (err: unknown, path: string) => void;
  rescanPeriodMs?: number;
}

/** What the last read of one file gave. */
interface FileResult {
  text: string;
  pod?: Pod;
}

/** One manifest directory's static pods; `start` once, abort its signal to stop. */
export class FileSource {
  readonly #o: FileSourceOptions;
  readonly #files = new Map<string, FileResult>();
  /** When each pod uid was first seen (its config.seen annotation). */
  readonly #seen = new Map<string, string>();
  #emitted: string | undefined;
  #reading: Promise<void> | undefined;
  #readAgain = false;
  #running: Promise<void> = Promise.resolve();

  constructor(options: FileSourceOptions) {
    this.#o = options;
  }

  /** Reads the directory, hands its pods to `onPods`, then watches and rescans until `signal` aborts. */
  async start(signal: AbortSignal): Promise<void> {
    await this.#read();
    this.#running = this.#watchAndRescan(signal);
  }

  /** Resolves when the watch and rescans have ended (after the start signal aborted). */
  stopped(): Promise<void> {
    return this.#running;
  }

  async #watchAndRescan(signal: AbortSignal): Promise<void> {
    let watcher: FSWatcher | undefined;
    let settle: ReturnType<Clock['setTimeout']> | undefined;
    const onChange = (): void => {
      if (settle !== undefined) return;
      settle = this.#o.clock.setTimeout(() => {
        settle = undefined;
        void this.#read();
      }, WATCH_SETTLE_MS);
    };
    const ensureWatch = (): void => {
      if (watcher !== undefined) return;
      try {
        watcher = watch(this.#o.dir, { persistent: false }, onChange);
        watcher.on('error', () => {
          watcher?.close();
          watcher = undefined;
        });
      } catch {
        watcher = undefined; // no directory yet: the rescans will see it appear
      }
    };
    const period = this.#o.rescanPeriodMs ?? DEFAULT_RESCAN_PERIOD_MS;
    while (!signal.aborted) {
      ensureWatch();
      await sleep(this.#o.clock, period, signal);
      if (!signal.aborted) await this.#read();
    }
    watcher?.close();
    if (settle !== undefined) this.#o.clock.clearTimeout(settle);
    await this.#reading;
  }

  /** One read of the directory; a read asked for while one runs happens right after it. */
  #read(): Promise<void> {
    if (this.#reading !== undefined) {
      this.#readAgain = true;
      return this.#reading;
    }
    this.#reading = (async () => {
      do {
        this.#readAgain = false;
        try {
          await this.#readOnce();
        } catch (err) {
          this.#o.onError(err, this.#o.dir);
        }
      } while (this.#readAgain);
      this.#reading = undefined;
    })();
    return this.#reading;
  }

  async #readOnce(): Promise<void> {
    const present = new Set<string>();
    for (const name of (await manifestNames(this.#o.dir)).sort()) {
      const path = join(this.#o.dir, name);
      const text = await readFile(path, 'utf8').catch((err: unknown) => {
        this.#o.onError(err, path);
        return undefined;
      });
      if (text === undefined) continue;
      present.add(path);
      if (this.#files.get(path)?.text !== text) this.#files.set(path, this.#parse(path, text));
    }
    for (const path of this.#files.keys()) if (!present.has(path)) this.#files.delete(path);
    this.#emit();
  }

  #parse(path: string, text: string): FileResult {
    try {
      return { text, pod: staticPodFromManifest(parsePodManifest(text), path, this.#o.nodeName) };
    } catch (err) {
      this.#o.onError(err, path);
      return { text };
    }
  }

  #emit(): void {
    const pods = [...this.#files.values()].flatMap((file) => (file.pod !== undefined ? [file.pod] : []));
    const uids = pods.map((pod) => pod.metadata?.uid ?? '');
    for (const uid of this.#seen.keys()) if (!uids.includes(uid)) this.#seen.delete(uid);
    const key = JSON.stringify(uids);
    if (key === this.#emitted) return;
    this.#emitted = key;
    this.#o.onPods(pods.map((pod) => {
      const uid = pod.metadata?.uid ?? '';
      if (!this.#seen.has(uid)) this.#seen.set(uid, seenTime(this.#o.clock.now()));
      return { ...pod, metadata: { ...pod.metadata, annotations: { ...pod.metadata?.annotations, [CONFIG_SEEN_ANNOTATION]: this.#seen.get(uid)! } } };
    }));
  }
}

/** The time in Go's RFC3339Nano layout (UTC, fraction without trailing zeros), as upstream writes config.seen. */
function seenTime(ms: number): string {
  const fraction = String(ms % 1000).padStart(3, '0').replace(/0+$/, '');
  return apiTime(ms).replace('Z', fraction === '' ? 'Z' : `.${fraction}Z`);
}

/** Names of the regular, non-hidden files (symlinks followed) in `dir`; none when it does not exist. */
async function manifestNames(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const regular = await Promise.all(names.filter((name) => !name.startsWith('.')).map(async (name) => {
    const info = await stat(join(dir, name)).catch(() => undefined);
    return info?.isFile() === true ? name : undefined;
  }));
  return regular.filter((name): name is string => name !== undefined);
}
