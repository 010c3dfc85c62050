/**
 * The client end of a SPDY/3 session over an upgraded connection, as far as
 * Kubernetes' streaming protocols need it: open streams with headers, write and
 * half-close them, receive their data, answer pings. Flow control is not
 * enforced by the Kubernetes peers (spdystream), so it is not applied here either.
 */
import type { Duplex } from 'node:stream';
import {
  FLAG_FIN,
  FrameParser,
  GOAWAY,
  HeaderCompressor,
  PING,
  RST_STREAM,
  SYN_REPLY,
  dataFrame,
  goAwayFrame,
  headerBlock,
  pingFrame,
  synStreamFrame,
} from './spdyFrames.js';

/** Largest payload written per DATA frame. */
const CHUNK = 32 * 1024;

/** Callbacks for what arrives on the session's streams. */
export interface SpdySessionEvents {
  /** Bytes the server sent on a stream. */
  onData(streamId: number, data: Buffer): void;
  /** The connection ended (either side); called once. */
  onClose(): void;
}

/** A SPDY/3 client session on `socket` (already upgraded); stream ids are odd, from 1. */
export class SpdyClientSession {
  private nextStreamId = 1;
  private readonly compressor = new HeaderCompressor();
  private readonly parser = new FrameParser();
  private readonly awaitingReply = new Map<number, { replied: () => void; failed: (err: Error) => void }>();
  private closed = false;

  constructor(private readonly socket: Duplex, private readonly events: SpdySessionEvents) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.finish());
    socket.on('end', () => socket.end());
    socket.resume();
  }

  /** Opens a stream with `headers`; resolves to its id once the server replied (rejects if the session ends first). */
  openStream(headers: Record<string, string>): Promise<number> {
    const id = this.nextStreamId;
    this.nextStreamId += 2;
    return new Promise((replied, fail) => {
      if (this.closed) {
        fail(new Error('SPDY session closed'));
        return;
      }
      this.awaitingReply.set(id, { replied: () => replied(id), failed: fail });
      this.socket.write(synStreamFrame(id, this.compressor.compress(headerBlock(headers))));
    });
  }

  /** Sends `data` on a stream; false when the connection's buffer is full (see `whenDrained`). */
  write(streamId: number, data: Buffer): boolean {
    if (this.closed) return true;
    let roomLeft = true;
    for (let at = 0; at < data.length; at += CHUNK) roomLeft = this.socket.write(dataFrame(streamId, data.subarray(at, at + CHUNK)));
    return roomLeft;
  }

  /** Runs `then` once the connection's write buffer has emptied (or the session ended). */
  whenDrained(then: () => void): void {
    if (this.closed || !this.socket.writableNeedDrain) {
      then();
      return;
    }
    const done = (): void => {
      this.socket.off('drain', done);
      this.socket.off('close', done);
      then();
    };
    this.socket.once('drain', done);
    this.socket.once('close', done);
  }

  /** Stops (true) or restarts (false) reading what the server sends, while the receiver catches up. */
  holdIncoming(hold: boolean): void {
    if (hold) this.socket.pause();
    else this.socket.resume();
  }

  /** Half-closes a stream: the server reads its end. */
  halfClose(streamId: number): void {
    if (!this.closed) this.socket.write(dataFrame(streamId, Buffer.alloc(0), FLAG_FIN));
  }

  /** Says goodbye and closes the connection. */
  close(): void {
    if (this.closed) return;
    this.socket.end(goAwayFrame());
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    for (const frame of this.parser.push(chunk)) {
      if (frame.kind === 'data') {
        // A stream's end (FIN) needs no action: the connection's end ends the session.
        if (frame.payload.length > 0) this.events.onData(frame.streamId, frame.payload);
        continue;
      }
      const streamId = frame.payload.length >= 4 ? frame.payload.readUInt32BE(0) & 0x7fffffff : 0;
      switch (frame.type) {
        case SYN_REPLY: {
          // A reply that also ends the stream is how a Kubernetes server rejects it.
          const waiting = this.awaitingReply.get(streamId);
          if ((frame.flags & FLAG_FIN) !== 0) waiting?.failed(new Error(`the server rejected stream ${streamId}`));
          else waiting?.replied();
          this.awaitingReply.delete(streamId);
          break;
        }
        case RST_STREAM:
          this.awaitingReply.get(streamId)?.failed(new Error(`the server reset stream ${streamId}`));
          this.awaitingReply.delete(streamId);
          break;
        case PING:
          // Only pings the server started (even ids) are answered; our own never go out.
          if (frame.payload.length >= 4 && frame.payload.readUInt32BE(0) % 2 === 0) this.socket.write(pingFrame(frame.payload.readUInt32BE(0)));
          break;
        case GOAWAY:
          this.socket.end();
          break;
        default:
          // SETTINGS, WINDOW_UPDATE, HEADERS: nothing to act on.
          break;
      }
    }
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    for (const waiting of this.awaitingReply.values()) waiting.failed(new Error('SPDY session closed before the server accepted the stream'));
    this.awaitingReply.clear();
    this.events.onClose();
  }
}
