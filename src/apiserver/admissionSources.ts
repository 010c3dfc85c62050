/**
 * The admission chain's view of the API server: watch-cache reads, the
 * NamespaceLifecycle check, service-account lookups, and quota status writes through
 * the resourcequotas store (optimistic concurrency, as upstream's quota admission).
 */
import type { ServiceAccount } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../api/object.js';
import { RESOURCES } from '../api/resources.js';
import type { GroupResource } from '../api/status.js';
import type { AdmissionSources } from './admission/chain.js';
import type { QuotaObject } from './admission/resourceQuota.js';
import type { ResourceStore } from './generic/resourceStore.js';

/** What `admissionSources` needs from the server. */
export interface AdmissionHost {
  storeFor(group: string, version: string, resource: string): ResourceStore | undefined;
  getObject(resource: string, namespace: string, name: string): Promise<KubeObject | undefined>;
  admitNamespace(namespace: string, gr: GroupResource, name: string): Promise<void>;
}

const QUOTA_WRITER = 'resourcequota-admission';

/** The admission sources of `host`. */
export function admissionSources(host: AdmissionHost): AdmissionSources {
  const storeOf = (group: string, resource: string): ResourceStore | undefined => {
    const info = RESOURCES.find((r) => r.group === group && r.resource === resource);
    return info === undefined ? undefined : host.storeFor(group, info.version, resource);
  };
  const quotas = (): ResourceStore => {
    const store = storeOf('', 'resourcequotas');
    if (store === undefined) throw new Error('no resourcequotas store');
    return store;
  };
  return {
    cached(group, resource, namespace) {
      const store = storeOf(group, resource);
      return store === undefined ? [] : store.cache.list(store.listPrefix(namespace));
    },
    admitNamespace: (namespace, gr, name) => host.admitNamespace(namespace, gr, name),
    serviceAccount: async (namespace, name) => (await host.getObject('serviceaccounts', namespace, name)) as ServiceAccount | undefined,
    quotas: {
      list: (namespace) => {
        const store = quotas();
        return store.cache.list(store.listPrefix(namespace)) as QuotaObject[];
      },
      get: async (namespace, name) => (await quotas().get(namespace, name)) as QuotaObject,
      async updateStatus(namespace, name, change) {
        await quotas().updateDirect(namespace, name, (current) => change(current as QuotaObject), { dryRun: false, fieldManager: QUOTA_WRITER, now: new Date() }, 'status');
      },
    },
  };
}
