/**
 * Test support: a client Transport in front of a real one (to a real API server) that
 * records every request, tells when no request is in flight, and lets a test answer
 * chosen requests itself — only for the answers a real server gives under timing a
 * test cannot arrange (a 410 on a relist, a 429 with Retry-After). Everything else
 * reaches the server.
 */
import type { Transport, TransportRequest, TransportResponse } from '../../src/client/index.js';

/** A request as the server (or an interceptor) received it. */
export interface SeenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
}

/** Answers a request instead of the server; `undefined` lets it through after all. */
export type Interceptor = (req: TransportRequest) => TransportResponse | undefined | Promise<TransportResponse | undefined>;

interface Interception {
  matches: (req: SeenRequest) => boolean;
  answer: Interceptor;
  remaining: number;
}

/** True for a watch request (those stay open and never count as in flight). */
export function isWatch(req: SeenRequest): boolean {
  return req.query.get('watch') === 'true';
}

/** True for a LIST request (a GET of a collection that is not a watch). */
export function isList(req: SeenRequest, collectionPath: string): boolean {
  return req.method === 'GET' && req.path === collectionPath && !isWatch(req);
}

/** A canned failure answer carrying a `metav1.Status`. */
export function statusAnswer(code: number, reason: string, message: string, headers: Record<string, string> = {}): TransportResponse {
  const status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code, reason, message };
  return { status: code, headers: { 'content-type': 'application/json', ...headers }, body: oneChunk(JSON.stringify(status)) };
}

/** A canned watch answer: these events, one JSON line each, then the end of the stream. */
export function watchAnswer(events: readonly unknown[]): TransportResponse {
  return { status: 200, headers: { 'content-type': 'application/json' }, body: oneChunk(events.map((e) => `${JSON.stringify(e)}\n`).join('')) };
}

/** See the module comment. */
export class TappedTransport implements Transport {
  /** Every request, in the order sent. */
  readonly requests: SeenRequest[] = [];
  readonly #inner: Transport;
  #interceptions: Interception[] = [];
  #inFlight = 0;
  #openWatches = 0;
  #idleWaiters: (() => void)[] = [];

  constructor(inner: Transport) {
    this.#inner = inner;
  }

  /** Answers the next `times` requests matching `matches` with `answer` instead of the server. */
  intercept(matches: (req: SeenRequest) => boolean, answer: Interceptor, times = 1): void {
    this.#interceptions.push({ matches, answer, remaining: times });
  }

  /** Requests other than watches that are sent and whose answer is not yet read to the end. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Watch answers whose stream has not ended yet (while a watch is open, this counts it). */
  get openWatches(): number {
    return this.#openWatches;
  }

  /** Resolves once no request other than a watch is in flight. */
  idle(): Promise<void> {
    if (this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  async request(req: TransportRequest): Promise<TransportResponse> {
    const seen: SeenRequest = { method: req.method, path: req.path, query: new URLSearchParams(req.query) };
    this.requests.push(seen);
    const counted = !isWatch(seen);
    if (counted) this.#inFlight++;
    try {
      const res = (await this.#intercepted(seen, req)) ?? (await this.#inner.request(req));
      if (counted) return { ...res, body: this.#tracked(res.body) };
      this.#openWatches++;
      return { ...res, body: this.#watchBody(res.body) };
    } catch (err) {
      if (counted) this.#done();
      throw err;
    }
  }

  close(): void {
    this.#inner.close?.();
  }

  async #intercepted(seen: SeenRequest, req: TransportRequest): Promise<TransportResponse | undefined> {
    const interception = this.#interceptions.find((i) => i.matches(seen));
    if (interception === undefined) return undefined;
    if (--interception.remaining <= 0) this.#interceptions = this.#interceptions.filter((i) => i !== interception);
    return interception.answer(req);
  }

  async *#tracked(body: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    try {
      yield* body;
    } finally {
      this.#done();
    }
  }

  async *#watchBody(body: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    try {
      yield* body;
    } finally {
      this.#openWatches--;
    }
  }

  #done(): void {
    if (--this.#inFlight > 0) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const wake of waiters) wake();
  }
}

async function* oneChunk(text: string): AsyncGenerator<Buffer> {
  yield Buffer.from(text);
}
