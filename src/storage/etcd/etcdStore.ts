/** The etcd-backed Store, for several `k8ts server` processes sharing one etcd cluster. */
import { ObjectStore } from '../objectStore.js';
import type { Store } from '../store.js';
import type { EtcdKvOptions } from './etcdKv.js';
import { EtcdKv } from './etcdKv.js';

/** Opens a Store on the etcd cluster at `endpoints` (client URLs such as `http://127.0.0.1:2379`). */
export function openEtcdStore(endpoints: readonly string[], options: EtcdKvOptions = {}): Store {
  return new ObjectStore(new EtcdKv(endpoints, options));
}
