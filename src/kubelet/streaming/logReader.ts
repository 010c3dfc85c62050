/**
 * Streams one CRI log file as `kubectl logs` shows it: partial chunks joined, the
 * tail/since/timestamps/limitBytes options applied, and with `follow` the file tailed
 * until the container has exited (and its last lines are out) or the reader goes away.
 */
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { LogLineJoiner, parseCriLogLine, type LogEntry } from './criLog.js';
import { formatEntry, isRecentEnough, selectEntries, type LogOptions } from './logOptions.js';

/** Where the text goes; resolves once the sink can take more. */
export type LogSink = (text: string) => Promise<void>;

/** What following needs besides the file. */
export interface FollowControl {
  /** True while the container may still write to the file. */
  isRunning(): Promise<boolean>;
  /** Ends the read early (the client went away). */
  signal: AbortSignal;
  /** Pause between polls of a quiet file (ms); default 200. */
  pollMs?: number;
}

const READ_CHUNK = 64 * 1024;

/** Reads a file from `offset` to its current end: the complete lines and the offset after them. */
async function readCompleteLines(file: FileHandle, offset: number): Promise<{ lines: string[]; next: number }> {
  const { size } = await file.stat();
  if (size <= offset) return { lines: [], next: offset };
  const buffer = Buffer.alloc(size - offset);
  let filled = 0;
  while (filled < buffer.length) {
    const { bytesRead } = await file.read(buffer, filled, Math.min(READ_CHUNK, buffer.length - filled), offset + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  const lastNewline = buffer.lastIndexOf(0x0a, filled - 1);
  if (lastNewline < 0) return { lines: [], next: offset };
  const lines = buffer.subarray(0, lastNewline).toString('utf8').split('\n');
  return { lines, next: offset + lastNewline + 1 };
}

function entriesOf(lines: readonly string[], joiner: LogLineJoiner): LogEntry[] {
  const entries: LogEntry[] = [];
  for (const line of lines) {
    const chunk = parseCriLogLine(line);
    const entry = chunk === undefined ? undefined : joiner.push(chunk);
    if (entry !== undefined) entries.push(entry);
  }
  return entries;
}

/** Writes entries within the byte limit; returns false once the limit is reached. */
class LimitedWriter {
  private written = 0;
  constructor(private readonly sink: LogSink, private readonly options: LogOptions) {}

  async write(entries: readonly LogEntry[]): Promise<boolean> {
    for (const entry of entries) {
      let text = formatEntry(entry, this.options);
      const limit = this.options.limitBytes;
      if (limit !== undefined) {
        const room = limit - this.written;
        const bytes = Buffer.from(text);
        if (bytes.length >= room) {
          text = bytes.subarray(0, room).toString('utf8');
          await this.sink(text);
          this.written = limit;
          return false;
        }
        this.written += bytes.length;
      }
      await this.sink(text);
    }
    return true;
  }
}

/**
 * Sends the log at `path` to `sink` per `options`. Without `follow` it ends at the
 * file's current end; with it, it polls for new lines until `control.isRunning()`
 * is false (then reads once more) or the signal aborts.
 */
export async function streamContainerLog(path: string, options: LogOptions, sink: LogSink, control: FollowControl): Promise<void> {
  const file = await open(path, 'r');
  try {
    const joiner = new LogLineJoiner();
    const writer = new LimitedWriter(sink, options);
    const first = await readCompleteLines(file, 0);
    let offset = first.next;
    if (!(await writer.write(selectEntries(entriesOf(first.lines, joiner), options)))) return;
    if (!options.follow) return;
    const pollMs = control.pollMs ?? 200;
    while (!control.signal.aborted) {
      const running = await control.isRunning();
      const next = await readCompleteLines(file, offset);
      offset = next.next;
      const fresh = entriesOf(next.lines, joiner).filter((e) => isRecentEnough(e, options));
      if (!(await writer.write(fresh))) return;
      if (!running) return;
      if (next.lines.length === 0) await sleep(pollMs, undefined, { signal: control.signal }).catch(() => undefined);
    }
  } finally {
    await file.close();
  }
}
