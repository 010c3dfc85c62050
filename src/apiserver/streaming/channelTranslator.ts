/**
 * Translation between the WebSocket channel protocols kubectl speaks for exec and
 * attach (v5.channel.k8s.io, v4.channel.k8s.io) and the SPDY remote command protocol
 * (v4.channel.k8s.io) toward the kubelet, as upstream's StreamTranslator does: each
 * binary message starts with its channel (0 stdin, 1 stdout, 2 stderr, 3 error status,
 * 4 terminal resize); v5 adds the close signal [255, channel], which half-closes stdin.
 */
import type { WebSocket } from 'ws';
import { SpdyClientSession } from './spdyClientSession.js';
import type { KubeletStream } from './kubeletUpgrade.js';

/** The WebSocket subprotocols translated, preferred first. */
export const CHANNEL_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'] as const;
/** The remote command protocol asked of the kubelet. */
export const KUBELET_REMOTE_COMMAND_PROTOCOL = 'v4.channel.k8s.io';

const STDIN = 0;
const STDOUT = 1;
const STDERR = 2;
const ERROR = 3;
const RESIZE = 4;
/** v5's close signal: a message [CLOSE_SIGNAL, channel] says the client finished writing that channel. */
const CLOSE_SIGNAL = 255;
/** Bytes queued toward the client above which reading from the kubelet pauses. */
const MAX_QUEUED_TO_CLIENT = 1024 * 1024;

/** Which streams the request asked for (its stdin, stdout, stderr and tty query flags). */
export interface RemoteCommandStreams {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

/** The streams of a request from its query, with stderr folded into stdout under a tty (as the kubelet does). */
export function requestedStreams(query: URLSearchParams): RemoteCommandStreams {
  const flag = (name: string): boolean => ['true', '1'].includes(query.get(name) ?? '');
  const tty = flag('tty');
  return { stdin: flag('stdin'), stdout: flag('stdout'), stderr: flag('stderr') && !tty, tty };
}

/**
 * A remote command session on the kubelet, ready to be joined to a WebSocket: its
 * streams are open (the kubelet accepted each), and what the kubelet sends before the
 * WebSocket is joined is kept and delivered first.
 */
export class RemoteCommandBridge {
  private readonly channelOfStream = new Map<number, number>();
  private readonly streamOfChannel = new Map<number, number>();
  private readonly backlog: Buffer[] = [];
  private ws: WebSocket | undefined;
  private queuedToClient = 0;
  private kubeletGone = false;
  private readonly session: SpdyClientSession;

  private constructor(kubelet: KubeletStream, private readonly onEnd: () => void) {
    this.session = new SpdyClientSession(kubelet.socket, {
      onData: (streamId, data) => this.toClient(this.channelOfStream.get(streamId), data),
      onClose: () => {
        this.kubeletGone = true;
        this.ws?.close(1000);
      },
    });
  }

  /** Opens the error, stdin, stdout, stderr and resize streams `streams` needs on the upgraded kubelet connection. */
  static async open(kubelet: KubeletStream, streams: RemoteCommandStreams, onEnd: () => void): Promise<RemoteCommandBridge> {
    const bridge = new RemoteCommandBridge(kubelet, onEnd);
    const wanted: [string, number][] = [['error', ERROR]];
    if (streams.stdin) wanted.push(['stdin', STDIN]);
    if (streams.stdout) wanted.push(['stdout', STDOUT]);
    if (streams.stderr) wanted.push(['stderr', STDERR]);
    if (streams.tty) wanted.push(['resize', RESIZE]);
    try {
      const ids = await Promise.all(wanted.map(([type]) => bridge.session.openStream({ streamtype: type })));
      ids.forEach((id, i) => {
        const channel = wanted[i]![1];
        bridge.channelOfStream.set(id, channel);
        bridge.streamOfChannel.set(channel, id);
      });
    } catch (err) {
      bridge.session.close();
      throw err;
    }
    return bridge;
  }

  /** Gives up on the session before a WebSocket joined it. */
  abandon(): void {
    this.session.close();
  }

  /** Joins the client's WebSocket (speaking `protocol`): from now on messages flow both ways until either side ends. */
  join(ws: WebSocket, protocol: string): void {
    this.ws = ws;
    for (const message of this.backlog.splice(0)) this.send(ws, message);
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) this.fromClient(data, protocol);
    });
    ws.on('close', () => {
      this.session.close();
      this.onEnd();
    });
    ws.on('error', () => ws.terminate());
    if (this.kubeletGone) ws.close(1000);
  }

  private toClient(channel: number | undefined, data: Buffer): void {
    if (channel === undefined) return;
    const message = Buffer.concat([Buffer.from([channel]), data]);
    if (this.ws === undefined) this.backlog.push(message);
    else this.send(this.ws, message);
  }

  /** Sends to the client, holding the kubelet's side while too much waits to go out. */
  private send(ws: WebSocket, message: Buffer): void {
    this.queuedToClient += message.length;
    if (this.queuedToClient > MAX_QUEUED_TO_CLIENT) this.session.holdIncoming(true);
    ws.send(message, () => {
      this.queuedToClient -= message.length;
      if (this.queuedToClient <= MAX_QUEUED_TO_CLIENT) this.session.holdIncoming(false);
    });
  }

  private fromClient(message: Buffer, protocol: string): void {
    const channel = message[0];
    if (channel === undefined) return;
    if (channel === CLOSE_SIGNAL && protocol === 'v5.channel.k8s.io') {
      const closed = this.streamOfChannel.get(message[1] ?? -1);
      if (closed !== undefined && message[1] === STDIN) this.session.halfClose(closed);
      return;
    }
    const stream = this.streamOfChannel.get(channel);
    if (stream === undefined || (channel !== STDIN && channel !== RESIZE)) return;
    if (!this.session.write(stream, message.subarray(1))) {
      // Hold the client until the kubelet connection takes more.
      this.ws?.pause();
      this.session.whenDrained(() => this.ws?.resume());
    }
  }
}
