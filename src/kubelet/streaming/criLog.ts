/**
 * The CRI container log format, as containerd writes it: one line per chunk,
 * `<RFC3339Nano time> <stdout|stderr> <tags> <message>`, where the first tag is `F`
 * for a chunk that ends a line and `P` for a partial one continued on the next line.
 */

/** One raw line of a CRI log file. */
export interface CriLogChunk {
  /** The timestamp exactly as written (RFC3339Nano). */
  timestamp: string;
  /** Milliseconds since the epoch (sub-millisecond digits dropped). */
  timeMs: number;
  stream: 'stdout' | 'stderr';
  /** True when the message continues in the next chunk of the same stream. */
  partial: boolean;
  message: string;
}

/** One whole log line: the partial chunks of a stream joined, stamped with the last chunk's time. */
export interface LogEntry {
  timestamp: string;
  timeMs: number;
  stream: 'stdout' | 'stderr';
  /** The text including its trailing newline. */
  text: string;
}

/** Parses one line of a CRI log (without its newline); undefined when it is not in the format. */
export function parseCriLogLine(line: string): CriLogChunk | undefined {
  const firstSpace = line.indexOf(' ');
  const secondSpace = line.indexOf(' ', firstSpace + 1);
  if (firstSpace <= 0 || secondSpace < 0) return undefined;
  const timestamp = line.slice(0, firstSpace);
  const stream = line.slice(firstSpace + 1, secondSpace);
  if (stream !== 'stdout' && stream !== 'stderr') return undefined;
  const thirdSpace = line.indexOf(' ', secondSpace + 1);
  const tags = thirdSpace < 0 ? line.slice(secondSpace + 1) : line.slice(secondSpace + 1, thirdSpace);
  const message = thirdSpace < 0 ? '' : line.slice(thirdSpace + 1);
  const timeMs = Date.parse(timestamp);
  if (Number.isNaN(timeMs)) return undefined;
  const partial = tags.split(':')[0] === 'P';
  return { timestamp, timeMs, stream, partial, message };
}

/**
 * Joins chunks into whole lines, per stream. Fed chunk by chunk; `push` returns the
 * entries completed by that chunk (none for a partial chunk).
 */
export class LogLineJoiner {
  private readonly pending = new Map<string, string>();

  /** Adds one chunk; returns the line it completes, if any. */
  push(chunk: CriLogChunk): LogEntry | undefined {
    const before = this.pending.get(chunk.stream) ?? '';
    if (chunk.partial) {
      this.pending.set(chunk.stream, before + chunk.message);
      return undefined;
    }
    this.pending.delete(chunk.stream);
    return { timestamp: chunk.timestamp, timeMs: chunk.timeMs, stream: chunk.stream, text: `${before}${chunk.message}\n` };
  }
}

/** Parses a whole CRI log text into joined entries; unparsable lines are skipped, a trailing partial chunk is dropped. */
export function parseCriLog(text: string): LogEntry[] {
  const joiner = new LogLineJoiner();
  const entries: LogEntry[] = [];
  for (const line of text.split('\n')) {
    const chunk = line === '' ? undefined : parseCriLogLine(line);
    const entry = chunk === undefined ? undefined : joiner.push(chunk);
    if (entry !== undefined) entries.push(entry);
  }
  return entries;
}
