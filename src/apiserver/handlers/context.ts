/**
 * What every resource handler receives: the parsed request, the resource's generic
 * store, the authenticated user and the negotiated response view.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResourceInfo } from '../../api/resources.js';
import type { UserInfo } from '../authn/user.js';
import type { ResourceStore } from '../generic/resourceStore.js';
import type { RequestInfo } from '../http/requestInfo.js';
import type { ResponseView } from '../http/negotiate.js';

/** One resource request on its way through the handlers. */
export interface ResourceRequest {
  req: IncomingMessage;
  res: ServerResponse;
  info: ResourceInfo;
  requestInfo: RequestInfo;
  query: URLSearchParams;
  store: ResourceStore;
  user: UserInfo;
  view: ResponseView;
  now: Date;
  /** Aborted when the client goes away or the server stops. */
  signal: AbortSignal;
}

/** A request before (or without) a resource store: what the review APIs and option parsing see. */
export type RequestBase = Omit<ResourceRequest, 'store'>;
