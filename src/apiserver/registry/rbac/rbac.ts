/**
 * RBAC (rbac.authorization.k8s.io/v1): Roles, ClusterRoles, RoleBindings and
 * ClusterRoleBindings. Names are path segments; rules need verbs (and resources
 * or nonResourceURLs); bindings need a roleRef, which never changes, and
 * subjects of a known kind.
 */
import type { PolicyRule, RoleRef, Subject } from 'kubernetes-types/rbac/v1.js';
import type { KubeObject } from '../../../api/object.js';
import { fieldError, type FieldError } from '../../../api/status.js';
import { invalidRendered } from '../../../api/validation/goValue.js';
import { isValidPathSegmentName } from '../../../api/validation/names.js';
import { each, oneOf } from '../core/podValidation.js';
import { semanticEqual } from '../semantic.js';
import type { Strategy } from '../strategy.js';

function validateRules(rules: readonly PolicyRule[] | undefined, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  (rules ?? []).forEach((rule, i) => {
    const at = `rules[${i}]`;
    if ((rule.verbs ?? []).length === 0) errs.push(fieldError.required(`${at}.verbs`, 'verbs must contain at least one value'));
    const hasResources = (rule.resources ?? []).length > 0;
    const hasURLs = (rule.nonResourceURLs ?? []).length > 0;
    if (hasURLs) {
      if (namespaced) errs.push(fieldError.invalid(`${at}.nonResourceURLs`, rule.nonResourceURLs, 'namespaced rules cannot apply to non-resource URLs'));
      if ((rule.apiGroups ?? []).length > 0 || hasResources) {
        errs.push(fieldError.invalid(`${at}.nonResourceURLs`, rule.nonResourceURLs, 'rules cannot apply to both regular resources and non-resource URLs'));
      }
    } else {
      if ((rule.apiGroups ?? []).length === 0) errs.push(fieldError.required(`${at}.apiGroups`, 'resource rules must supply at least one api group'));
      if (!hasResources) errs.push(fieldError.required(`${at}.resources`, 'resource rules must supply at least one resource'));
    }
  });
  return errs;
}

function validateRoleRef(ref: RoleRef | undefined, namespaced: boolean): FieldError[] {
  if (!ref) return [fieldError.required('roleRef')];
  const errs: FieldError[] = [];
  if (ref.apiGroup !== 'rbac.authorization.k8s.io') errs.push(fieldError.notSupported('roleRef.apiGroup', ref.apiGroup ?? '', ['rbac.authorization.k8s.io']));
  errs.push(...oneOf(ref.kind, namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'], 'roleRef.kind'));
  if (!ref.name) errs.push(fieldError.required('roleRef.name'));
  else errs.push(...each('roleRef.name', ref.name, isValidPathSegmentName(ref.name)));
  return errs;
}

function validateSubjects(subjects: readonly Subject[] | undefined): FieldError[] {
  const errs: FieldError[] = [];
  (subjects ?? []).forEach((subject, i) => {
    const at = `subjects[${i}]`;
    if (!subject.name) errs.push(fieldError.required(`${at}.name`));
    errs.push(...oneOf(subject.kind, ['ServiceAccount', 'User', 'Group'], `${at}.kind`));
    if (subject.kind === 'ServiceAccount') {
      if (subject.apiGroup) errs.push(fieldError.notSupported(`${at}.apiGroup`, subject.apiGroup, ['']));
      if (!subject.namespace) errs.push(fieldError.required(`${at}.namespace`));
    } else if ((subject.kind === 'User' || subject.kind === 'Group') && subject.apiGroup !== 'rbac.authorization.k8s.io') {
      errs.push(fieldError.notSupported(`${at}.apiGroup`, subject.apiGroup ?? '', ['rbac.authorization.k8s.io']));
    }
  });
  return errs;
}

function roleStrategy(namespaced: boolean): Strategy {
  return {
    nameValidation: 'path-segment',
    validate: (obj: KubeObject) => validateRules(obj.rules as PolicyRule[] | undefined, namespaced),
  };
}

function bindingStrategy(namespaced: boolean): Strategy {
  return {
    nameValidation: 'path-segment',
    validate: (obj: KubeObject) => [
      ...validateRoleRef(obj.roleRef as RoleRef | undefined, namespaced),
      ...validateSubjects(obj.subjects as Subject[] | undefined),
    ],
    validateUpdate: (obj: KubeObject, old: KubeObject) =>
      semanticEqual(obj.roleRef, old.roleRef)
        ? []
        : [invalidRendered('roleRef', JSON.stringify(obj.roleRef ?? null), 'cannot change roleRef')],
  };
}

/** The roles strategy. */
export const roleStrategyNamespaced: Strategy = roleStrategy(true);
/** The clusterroles strategy. */
export const clusterRoleStrategy: Strategy = roleStrategy(false);
/** The rolebindings strategy. */
export const roleBindingStrategy: Strategy = bindingStrategy(true);
/** The clusterrolebindings strategy. */
export const clusterRoleBindingStrategy: Strategy = bindingStrategy(false);
