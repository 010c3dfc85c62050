import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from 'kubernetes-types/rbac/v1.js';
import type { UserInfo } from '../authn/user.js';
import type { AuthorizationAttributes } from './authorizer.js';
import { rbacAuthorizer } from './rbacAuthorizer.js';

const robot: UserInfo = { username: 'system:serviceaccount:team:robot', groups: ['system:serviceaccounts', 'system:serviceaccounts:team', 'system:authenticated'] };
const roleRef = (kind: 'Role' | 'ClusterRole', name: string) => ({ apiGroup: 'rbac.authorization.k8s.io', kind, name });

const roles: Record<string, Role> = {
  'team/logs': { metadata: { name: 'logs', namespace: 'team' }, rules: [{ apiGroups: [''], resources: ['pods/log'], verbs: ['get'] }, { apiGroups: ['apps'], resources: ['deployments'], resourceNames: ['web'], verbs: ['patch'] }] },
};
const clusterRoles: Record<string, ClusterRole> = {
  'node-reader': { metadata: { name: 'node-reader' }, rules: [{ apiGroups: [''], resources: ['nodes', '*/status'], verbs: ['get', 'list'] }] },
  metrics: { metadata: { name: 'metrics' }, rules: [{ nonResourceURLs: ['/metrics*'], verbs: ['get'] }] },
};
const roleBindings: RoleBinding[] = [{ metadata: { name: 'logs', namespace: 'team' }, roleRef: roleRef('Role', 'logs'), subjects: [{ kind: 'ServiceAccount', name: 'robot' }] }];
const clusterRoleBindings: ClusterRoleBinding[] = [
  { metadata: { name: 'sa-nodes' }, roleRef: roleRef('ClusterRole', 'node-reader'), subjects: [{ kind: 'Group', name: 'system:serviceaccounts:team' }] },
  { metadata: { name: 'metrics' }, roleRef: roleRef('ClusterRole', 'metrics'), subjects: [{ kind: 'User', name: 'system:serviceaccount:team:robot' }] },
];

const authorizer = rbacAuthorizer({
  roleBindings: (ns) => roleBindings.filter((b) => b.metadata?.namespace === ns),
  clusterRoleBindings: () => clusterRoleBindings,
  role: (ns, name) => roles[`${ns}/${name}`],
  clusterRole: (name) => clusterRoles[name],
});

const request = (over: Partial<AuthorizationAttributes>): AuthorizationAttributes => ({
  user: robot, verb: 'get', resourceRequest: true, group: '', resource: 'pods', subresource: '', namespace: 'team', name: '', path: '', ...over,
});
const decide = async (over: Partial<AuthorizationAttributes>) => (await authorizer.authorize(request(over))).decision;

describe('RBAC authorizer', () => {
  test('role bindings grant their rules in their namespace only, with subresources and resource names', async () => {
    assert.equal(await decide({ resource: 'pods', subresource: 'log', name: 'p' }), 'allow');
    assert.equal(await decide({ resource: 'pods', name: 'p' }), 'noOpinion');
    assert.equal(await decide({ resource: 'pods', subresource: 'log', namespace: 'other' }), 'noOpinion');
    assert.equal(await decide({ verb: 'patch', group: 'apps', resource: 'deployments', name: 'web' }), 'allow');
    assert.equal(await decide({ verb: 'patch', group: 'apps', resource: 'deployments', name: 'db' }), 'noOpinion');
  });

  test('cluster role bindings grant everywhere, by group or user, with */subresource and URL prefixes', async () => {
    assert.equal(await decide({ verb: 'list', resource: 'nodes', namespace: '' }), 'allow');
    assert.equal(await decide({ resource: 'pods', subresource: 'status', namespace: 'elsewhere' }), 'allow');
    assert.equal(await decide({ resourceRequest: false, resource: '', namespace: '', path: '/metrics/slis' }), 'allow');
    const other = { ...robot, username: 'system:serviceaccount:ops:robot', groups: ['system:serviceaccounts', 'system:authenticated'] };
    assert.equal(await decide({ user: other, verb: 'list', resource: 'nodes', namespace: '' }), 'noOpinion');
  });

  test('every authenticated user may discover the API and review itself', async () => {
    assert.equal(await decide({ resourceRequest: false, resource: '', namespace: '', path: '/apis/apps/v1' }), 'allow');
    assert.equal(await decide({ verb: 'create', group: 'authorization.k8s.io', resource: 'selfsubjectaccessreviews', namespace: '' }), 'allow');
    assert.equal(await decide({ user: { username: 'system:anonymous', groups: ['system:unauthenticated'] }, resourceRequest: false, resource: '', namespace: '', path: '/api' }), 'noOpinion');
  });

  test('rules are listed for rules reviews', async () => {
    const rules = await authorizer.rulesFor(robot, 'team');
    assert.ok(rules.resourceRules.some((r) => r.resources.includes('pods/log')));
    assert.ok(rules.resourceRules.some((r) => r.resourceNames?.includes('web')));
    assert.ok(rules.nonResourceRules.some((r) => r.nonResourceURLs.includes('/metrics*')));
  });
});
