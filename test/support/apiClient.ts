/**
 * Test support: the k8ts client library connected to an in-process API server over
 * HTTP, through a TappedTransport so tests can see which requests the client sent.
 */
import { HttpsTransport, RestClient } from '../../src/client/index.js';
import type { RestClientOptions } from '../../src/client/index.js';
import type { InProcessApi } from './inProcessApi.js';
import { TappedTransport } from './tappedTransport.js';

/** A client and the transport under it; `close()` frees its pooled connections. */
export interface ConnectedClient {
  client: RestClient;
  tap: TappedTransport;
  close(): void;
}

/** Connects a new RestClient to `api`. */
export function connect(api: Pick<InProcessApi, 'url'>, options: RestClientOptions = {}): ConnectedClient {
  const tap = new TappedTransport(new HttpsTransport({ server: api.url }));
  return { client: new RestClient(tap, options), tap, close: () => tap.close() };
}
