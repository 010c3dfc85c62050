/**
 * RbacObjects read from the API server's own watch caches of roles, clusterroles,
 * rolebindings and clusterrolebindings (rbac.authorization.k8s.io/v1).
 */
import type { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from 'kubernetes-types/rbac/v1.js';
import type { ResourceStore } from '../generic/resourceStore.js';
import type { RbacObjects } from './rbacAuthorizer.js';

/** Finds the store of one rbac.authorization.k8s.io/v1 resource. */
export type RbacStoreLookup = (resource: 'roles' | 'clusterroles' | 'rolebindings' | 'clusterrolebindings') => ResourceStore | undefined;

/** The RBAC objects the stores found by `storeOf` hold, read on every call. */
export function rbacObjectsFromStores(storeOf: RbacStoreLookup): RbacObjects {
  const list = <T>(resource: Parameters<RbacStoreLookup>[0], namespace: string): T[] => {
    const store = storeOf(resource);
    return store === undefined ? [] : (store.cache.list(store.listPrefix(namespace)) as unknown as T[]);
  };
  const get = <T>(resource: Parameters<RbacStoreLookup>[0], namespace: string, name: string): T | undefined => {
    const store = storeOf(resource);
    return store === undefined ? undefined : (store.cache.get(store.key(namespace, name)) as unknown as T | undefined);
  };
  return {
    roleBindings: (namespace) => list<RoleBinding>('rolebindings', namespace),
    clusterRoleBindings: () => list<ClusterRoleBinding>('clusterrolebindings', ''),
    role: (namespace, name) => get<Role>('roles', namespace, name),
    clusterRole: (name) => get<ClusterRole>('clusterroles', '', name),
  };
}
