/**
 * The RBAC authorizer: allows a request when a RoleBinding in its namespace or a
 * ClusterRoleBinding grants its user (by user name, group or service account) a rule
 * that covers it, with upstream's matching (`*` wildcards, `resource/subresource`
 * and `*\/subresource`, resource names, non-resource URLs with a trailing `*`). It
 * also grants every authenticated user what upstream's bootstrap bindings
 * `system:discovery`, `system:basic-user` and `system:public-info-viewer` do.
 * No opinion otherwise.
 */
import type { ClusterRole, ClusterRoleBinding, PolicyRule, Role, RoleBinding, Subject } from 'kubernetes-types/rbac/v1.js';
import { AUTHENTICATED_GROUP, type UserInfo } from '../authn/user.js';
import type { AuthorizationAttributes, Authorizer, NonResourceRule, ResourceRule, UserRules } from './authorizer.js';

/** How the authorizer reads RBAC objects (current state; cheap to call per request). */
export interface RbacObjects {
  roleBindings(namespace: string): RoleBinding[];
  clusterRoleBindings(): ClusterRoleBinding[];
  role(namespace: string, name: string): Role | undefined;
  clusterRole(name: string): ClusterRole | undefined;
}

/** The rules upstream's bootstrap policy binds to `system:authenticated`. */
const AUTHENTICATED_RULES: readonly PolicyRule[] = [
  { verbs: ['get'], nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'] },
  { verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'] },
  { verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'] },
];

function subjectMatches(subject: Subject, user: UserInfo, bindingNamespace: string): boolean {
  switch (subject.kind) {
    case 'User':
      return subject.name === user.username;
    case 'Group':
      return user.groups.includes(subject.name);
    case 'ServiceAccount':
      return user.username === `system:serviceaccount:${subject.namespace || bindingNamespace}:${subject.name}`;
    default:
      return false;
  }
}

const covers = (values: readonly string[] | undefined, value: string): boolean => (values ?? []).some((v) => v === '*' || v === value);

function resourceMatches(rule: PolicyRule, resource: string, subresource: string): boolean {
  const combined = subresource === '' ? resource : `${resource}/${subresource}`;
  return (rule.resources ?? []).some((r) => r === '*' || r === combined || (subresource !== '' && r === `*/${subresource}`));
}

function urlMatches(rule: PolicyRule, path: string): boolean {
  return (rule.nonResourceURLs ?? []).some((u) => u === '*' || u === path || (u.endsWith('*') && path.startsWith(u.slice(0, -1))));
}

/** True when `rule` covers the request. */
export function ruleAllows(rule: PolicyRule, a: AuthorizationAttributes): boolean {
  if (!covers(rule.verbs, a.verb)) return false;
  if (!a.resourceRequest) return urlMatches(rule, a.path);
  if (!covers(rule.apiGroups, a.group) || !resourceMatches(rule, a.resource, a.subresource)) return false;
  return (rule.resourceNames ?? []).length === 0 || (rule.resourceNames ?? []).includes(a.name);
}

/** A set of rules with where they came from (for the allow reason). */
interface Grant {
  rules: readonly PolicyRule[];
  reason: string;
}

function* grants(objects: RbacObjects, user: UserInfo, namespace: string): Generator<Grant> {
  if (user.groups.includes(AUTHENTICATED_GROUP)) yield { rules: AUTHENTICATED_RULES, reason: 'RBAC: allowed by the bootstrap policy for system:authenticated' };
  for (const binding of objects.clusterRoleBindings()) {
    if (!(binding.subjects ?? []).some((s) => subjectMatches(s, user, ''))) continue;
    const role = objects.clusterRole(binding.roleRef.name);
    if (role !== undefined) yield { rules: role.rules ?? [], reason: `RBAC: allowed by ClusterRoleBinding "${binding.metadata?.name ?? ''}" of ClusterRole "${binding.roleRef.name}"` };
  }
  if (namespace === '') return;
  for (const binding of objects.roleBindings(namespace)) {
    if (!(binding.subjects ?? []).some((s) => subjectMatches(s, user, namespace))) continue;
    const ref = binding.roleRef;
    const role = ref.kind === 'Role' ? objects.role(namespace, ref.name) : objects.clusterRole(ref.name);
    if (role !== undefined) yield { rules: role.rules ?? [], reason: `RBAC: allowed by RoleBinding "${binding.metadata?.name ?? ''}/${namespace}" of ${ref.kind} "${ref.name}"` };
  }
}

/** The RBAC authorizer over `objects`; see the module comment. */
export function rbacAuthorizer(objects: RbacObjects): Authorizer {
  return {
    async authorize(attributes) {
      for (const grant of grants(objects, attributes.user, attributes.namespace)) {
        if (grant.rules.some((rule) => ruleAllows(rule, attributes))) return { decision: 'allow', reason: grant.reason };
      }
      return { decision: 'noOpinion', reason: '' };
    },
    async rulesFor(user, namespace) {
      const rules: UserRules = { resourceRules: [], nonResourceRules: [], incomplete: false };
      for (const grant of grants(objects, user, namespace)) {
        for (const rule of grant.rules) {
          if ((rule.nonResourceURLs ?? []).length > 0) {
            const nonResource: NonResourceRule = { verbs: [...rule.verbs], nonResourceURLs: [...(rule.nonResourceURLs ?? [])] };
            rules.nonResourceRules.push(nonResource);
          } else {
            const resource: ResourceRule = { verbs: [...rule.verbs], apiGroups: [...(rule.apiGroups ?? [])], resources: [...(rule.resources ?? [])] };
            if ((rule.resourceNames ?? []).length > 0) resource.resourceNames = [...(rule.resourceNames ?? [])];
            rules.resourceRules.push(resource);
          }
        }
      }
      return rules;
    },
  };
}
