/**
 * The k8ts client library: everything a component needs to talk to the API.
 *
 *   const client = new RestClient(new HttpsTransport({ server, caPem, certPem, keyPem }));
 *   const factory = new InformerFactory(client);
 *   const pods = factory.informerFor({ group: '', version: 'v1', resource: 'pods' });
 *   pods.addEventHandler({ onAdd: (pod) => queue.add(objectKey(pod)) });
 *   factory.start(signal);
 *   await factory.waitForCacheSync(signal);
 *
 * TLS fixtures for tests live in ./testing/ and are not exported here; the library
 * is tested against a real API server in test/api/client-*.test.ts.
 */
export type { Clock, TimerHandle } from './clock.js';
export { FakeClock, realClock, settle, sleep } from './clock.js';
export type { DiscoveredResource, DiscoveredResourceList, GroupVersion, ServerResources } from './discovery.js';
export { GroupDiscoveryFailedError, namespacedOnly, parseGroupVersion, serverPreferredResources } from './discovery.js';
export type { EventObject, EventSource, EventType } from './eventRecorder.js';
export { EventRecorder } from './eventRecorder.js';
export type { HttpsTransportOptions } from './httpsTransport.js';
export { HttpsTransport } from './httpsTransport.js';
export type { IndexFunc, Indexers } from './indexer.js';
export { Indexer, NAMESPACE_INDEX, keyOf, namespaceIndexFunc, objectKey, splitKey } from './indexer.js';
export type { DeletedFinalStateUnknown, EventHandler, HandlerRegistration, InformerOptions } from './informer.js';
export { SharedInformer, deletedObject, isTombstone } from './informer.js';
export type { InformerFactoryOptions, InformerRequest } from './informerFactory.js';
export { InformerFactory } from './informerFactory.js';
export type { LeaderCallbacks, LeaderElectionConfig, LeaseObject } from './leaderElection.js';
export { LeaderElector, formatMicroTime } from './leaderElection.js';
export type { LabelMatcher } from './lister.js';
export { Lister, NamespaceLister, everything } from './lister.js';
export type { ResourceTarget } from './paths.js';
export { qualifiedResource, resourcePath, targetOf } from './paths.js';
export type { RateLimiter } from './rateLimiter.js';
export { BucketRateLimiter, ItemExponentialFailureRateLimiter, MaxOfRateLimiter, defaultControllerRateLimiter } from './rateLimiter.js';
export type { ReflectorOptions, ReflectorSink } from './reflector.js';
export { Reflector, isResourceExpired } from './reflector.js';
export type { RequestContext } from './responseErrors.js';
export { UNKNOWN_REASON, isStatusObject, statusErrorFromResponse, statusErrorFromStatus } from './responseErrors.js';
export type {
  CallOptions,
  DeleteCollectionOptions,
  DeleteOptions,
  GetOptions,
  ListOptions,
  PatchOptions,
  PatchType,
  RestClientOptions,
  SelectorOptions,
  WatchOptions,
  WriteOptions,
} from './restClient.js';
export { PATCH_CONTENT_TYPES, RestClient } from './restClient.js';
export type { Transport, TransportErrorKind, TransportRequest, TransportResponse } from './transport.js';
export { TransportError, isTransportError, readBody } from './transport.js';
export type { WatchEvent, WatchEventType } from './watch.js';
export { decodeWatchEvents } from './watch.js';
export type { WorkQueueOptions } from './workqueue.js';
export { WorkQueue } from './workqueue.js';
