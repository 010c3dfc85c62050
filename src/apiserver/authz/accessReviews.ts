/**
 * The authorization.k8s.io review APIs, answered from an Authorizer: a review request
 * object in, the same object with `status` filled out (or a StatusError), as
 * upstream's subjectaccessreview, selfsubjectaccessreview, localsubjectaccessreview
 * and selfsubjectrulesreview registries do. Nothing is stored.
 */
import type {
  LocalSubjectAccessReview,
  NonResourceAttributes,
  ResourceAttributes,
  SelfSubjectAccessReview,
  SelfSubjectRulesReview,
  SubjectAccessReview,
  SubjectAccessReviewSpec,
  SubjectAccessReviewStatus,
  SubjectRulesReviewStatus,
} from 'kubernetes-types/authorization/v1.js';
import { isPlainObject } from '../../api/object.js';
import { badRequest, fieldError, invalid, type FieldError } from '../../api/status.js';
import { validateLabelName, validateLabelSelectorRequirement } from '../../api/validation/labels.js';
import type { UserInfo } from '../authn/user.js';
import type { AuthorizationAttributes, Authorizer } from './authorizer.js';

const GROUP = 'authorization.k8s.io';
const API_VERSION = 'authorization.k8s.io/v1';

type Body = Record<string, unknown>;

const present = (value: unknown): boolean => value !== undefined && value !== null;
const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

/** The object's spec (an empty one when absent or not an object). */
function specOf(body: Body): Body {
  return isPlainObject(body.spec) ? body.spec : {};
}

/** True when a metadata field holds nothing (Go's semantic equality treats empty maps and lists as unset). */
function isEmptyValue(value: unknown): boolean {
  if (!present(value) || value === '' || value === 0 || value === false) return true;
  if (Array.isArray(value)) return value.length === 0;
  return isPlainObject(value) && Object.keys(value).length === 0;
}

/** Errors for metadata that must be empty (managedFields and, where allowed, namespace aside). */
function validateEmptyMetadata(body: Body, allowNamespace: boolean): FieldError[] {
  const metadata = isPlainObject(body.metadata) ? body.metadata : {};
  const filled = Object.entries(metadata).filter(
    ([key, value]) => key !== 'managedFields' && !(allowNamespace && key === 'namespace') && !isEmptyValue(value),
  );
  if (filled.length === 0) return [];
  const detail = allowNamespace ? 'must be empty except for namespace' : 'must be empty';
  return [fieldError.invalid('metadata', metadata, detail)];
}

interface SelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

function requirementsOf(value: unknown): SelectorRequirement[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isPlainObject).map((r) => ({ key: text(r.key), operator: text(r.operator), values: strings(r.values) }));
}

/** The rawSelector-versus-requirements rule shared by field and label selector attributes. */
function validateSelectorShape(selector: Body, path: string): FieldError[] {
  const raw = text(selector.rawSelector);
  const requirements = Array.isArray(selector.requirements) ? selector.requirements : [];
  if (raw !== '' && requirements.length > 0) {
    return [fieldError.invalid(`${path}.rawSelector`, raw, 'may not specified at the same time as requirements')];
  }
  if (raw === '' && requirements.length === 0) {
    return [fieldError.required(`${path}.requirements`, `when ${path} is specified, requirements or rawSelector is required`)];
  }
  return [];
}

/** A field selector requirement; unknown operators are allowed, as for newer clients upstream. */
function validateFieldRequirement(req: SelectorRequirement, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (req.key === '') errs.push(fieldError.required(`${path}.key`, 'must be specified'));
  const count = req.values?.length ?? 0;
  if ((req.operator === 'In' || req.operator === 'NotIn') && count !== 1) {
    errs.push(fieldError.required(`${path}.values`, "must be only one value when `operator` is 'In' or 'NotIn' for fieldSelector"));
  }
  if ((req.operator === 'Exists' || req.operator === 'DoesNotExist') && count > 0) {
    errs.push(fieldError.forbidden(`${path}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
  }
  return errs;
}

/** A label selector requirement; unknown operators are allowed, but the key must be a label name. */
function validateLabelRequirement(req: SelectorRequirement, path: string): FieldError[] {
  const known = ['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(req.operator);
  return known ? validateLabelSelectorRequirement(req, path) : validateLabelName(req.key, `${path}.key`);
}

/** `spec.resourceAttributes` checks: its field and label selector attributes. */
function validateResourceAttributes(attributes: unknown): FieldError[] {
  if (!isPlainObject(attributes)) return [];
  const errs: FieldError[] = [];
  const selectors = [
    ['fieldSelector', validateFieldRequirement],
    ['labelSelector', validateLabelRequirement],
  ] as const;
  for (const [name, validateRequirement] of selectors) {
    const selector = attributes[name];
    if (!isPlainObject(selector)) continue;
    const path = `spec.resourceAttributes.${name}`;
    errs.push(...validateSelectorShape(selector, path));
    requirementsOf(selector.requirements).forEach((req, i) => errs.push(...validateRequirement(req, `${path}.requirements[${i}]`)));
  }
  return errs;
}

/** The spec checks shared by the access reviews; `requireSubject` for those naming a user or groups. */
function validateAccessSpec(spec: Body, requireSubject: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const hasResource = present(spec.resourceAttributes);
  const hasNonResource = present(spec.nonResourceAttributes);
  if (hasResource && hasNonResource) {
    errs.push(fieldError.invalid('spec.nonResourceAttributes', spec.nonResourceAttributes, 'cannot be specified in combination with resourceAttributes'));
  }
  if (!hasResource && !hasNonResource) {
    errs.push(fieldError.invalid('spec.resourceAttributes', undefined, 'exactly one of nonResourceAttributes or resourceAttributes must be specified'));
  }
  if (requireSubject && text(spec.user) === '' && strings(spec.groups).length === 0) {
    errs.push(fieldError.invalid('spec.user', text(spec.user), 'at least one of user or group must be specified'));
  }
  errs.push(...validateResourceAttributes(spec.resourceAttributes));
  return errs;
}

function throwIfInvalid(errs: FieldError[]): void {
  if (errs.length > 0) throw invalid('', GROUP, '', errs);
}

/** The authorizer attributes a review's resource or non-resource attributes describe, for `user`. */
function attributesFrom(spec: Body, user: UserInfo): AuthorizationAttributes {
  if (isPlainObject(spec.resourceAttributes)) {
    const r = spec.resourceAttributes as ResourceAttributes;
    return {
      user,
      verb: text(r.verb),
      resourceRequest: true,
      group: text(r.group),
      version: text(r.version),
      resource: text(r.resource),
      subresource: text(r.subresource),
      namespace: text(r.namespace),
      name: text(r.name),
      path: '',
    };
  }
  const n = (isPlainObject(spec.nonResourceAttributes) ? spec.nonResourceAttributes : {}) as NonResourceAttributes;
  return { user, verb: text(n.verb), resourceRequest: false, group: '', resource: '', subresource: '', namespace: '', name: '', path: text(n.path) };
}

/** The user a SubjectAccessReview spec asks about. */
function subjectOf(spec: SubjectAccessReviewSpec): UserInfo {
  const user: UserInfo = { username: text(spec.user), groups: strings(spec.groups) };
  if (text(spec.uid) !== '') user.uid = text(spec.uid);
  if (isPlainObject(spec.extra)) {
    user.extra = Object.fromEntries(Object.entries(spec.extra).map(([k, v]) => [k, strings(v)]));
  }
  return user;
}

/** Asks the authorizer and renders the review status (`denied`, `reason`, `evaluationError` only when set). */
async function decide(authorizer: Authorizer, attributes: AuthorizationAttributes): Promise<SubjectAccessReviewStatus> {
  const result = await authorizer.authorize(attributes);
  const status: SubjectAccessReviewStatus = { allowed: result.decision === 'allow' };
  if (result.decision === 'deny') status.denied = true;
  if (result.reason !== '') status.reason = result.reason;
  if (result.evaluationError !== undefined && result.evaluationError !== '') status.evaluationError = result.evaluationError;
  return status;
}

function echo<T>(body: Body, kind: string, status: unknown): T {
  return { ...body, apiVersion: API_VERSION, kind, metadata: isPlainObject(body.metadata) ? body.metadata : {}, spec: specOf(body), status } as T;
}

/**
 * SelfSubjectAccessReview: may the requesting `user` do what `spec.resourceAttributes`
 * or `spec.nonResourceAttributes` describe? Throws 422 Invalid for a malformed review.
 */
export async function reviewSelfSubjectAccess(body: Body, user: UserInfo, authorizer: Authorizer): Promise<SelfSubjectAccessReview> {
  const spec = specOf(body);
  throwIfInvalid([...validateAccessSpec(spec, false), ...validateEmptyMetadata(body, false)]);
  return echo(body, 'SelfSubjectAccessReview', await decide(authorizer, attributesFrom(spec, user)));
}

/**
 * SubjectAccessReview: may the user and groups in the spec do what it describes?
 * Throws 422 Invalid for a malformed review (no attributes, no user nor group, …).
 */
export async function reviewSubjectAccess(body: Body, authorizer: Authorizer): Promise<SubjectAccessReview> {
  const spec = specOf(body);
  throwIfInvalid([...validateAccessSpec(spec, true), ...validateEmptyMetadata(body, false)]);
  const subject = subjectOf(spec as SubjectAccessReviewSpec);
  return echo(body, 'SubjectAccessReview', await decide(authorizer, attributesFrom(spec, subject)));
}

/**
 * LocalSubjectAccessReview in `namespace` (the request's): like SubjectAccessReview,
 * limited to resource attributes in that namespace. `metadata.namespace` defaults to
 * the request's; a different one is a 400, as for any create.
 */
export async function reviewLocalSubjectAccess(
  body: Body,
  namespace: string,
  authorizer: Authorizer,
): Promise<LocalSubjectAccessReview> {
  const metadata = isPlainObject(body.metadata) ? { ...body.metadata } : {};
  const objectNamespace = text(metadata.namespace);
  if (objectNamespace === '') metadata.namespace = namespace;
  else if (objectNamespace !== namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  const review: Body = { ...body, metadata };
  const spec = specOf(review);
  const errs = [...validateAccessSpec(spec, true), ...validateEmptyMetadata(review, true)];
  if (isPlainObject(spec.resourceAttributes) && text(spec.resourceAttributes.namespace) !== text(metadata.namespace)) {
    errs.push(fieldError.invalid('spec.resourceAttributes.namespace', text(spec.resourceAttributes.namespace), 'must match metadata.namespace'));
  }
  if (present(spec.nonResourceAttributes)) {
    errs.push(fieldError.invalid('spec.nonResourceAttributes', spec.nonResourceAttributes, 'disallowed on this kind of request'));
  }
  throwIfInvalid(errs);
  if (namespace === '') throw badRequest(`namespace is required on this type: ${namespace}`);
  const subject = subjectOf(spec as SubjectAccessReviewSpec);
  return echo(review, 'LocalSubjectAccessReview', await decide(authorizer, attributesFrom(spec, subject)));
}

/**
 * SelfSubjectRulesReview: the rules the requesting `user` has in `spec.namespace`.
 * Throws 400 `no namespace on request` without a namespace. The response carries
 * only the status, as upstream's does.
 */
export async function reviewSelfSubjectRules(body: Body, user: UserInfo, authorizer: Authorizer): Promise<SelfSubjectRulesReview> {
  const namespace = text(specOf(body).namespace);
  if (namespace === '') throw badRequest('no namespace on request');
  const rules = await authorizer.rulesFor(user, namespace);
  const status: SubjectRulesReviewStatus = {
    resourceRules: rules.resourceRules,
    nonResourceRules: rules.nonResourceRules,
    incomplete: rules.incomplete,
  };
  if (rules.evaluationError !== undefined) status.evaluationError = rules.evaluationError;
  return { apiVersion: API_VERSION, kind: 'SelfSubjectRulesReview', metadata: {}, spec: {}, status };
}
