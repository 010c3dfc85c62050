/**
 * serviceaccounts/token: TokenRequest (authentication.k8s.io/v1), as upstream's
 * token REST: audiences default to the API audiences, expirationSeconds to 3600 and
 * must lie between 10 minutes and 2^32 seconds; a bound object (Pod or Secret) must
 * exist and match the reference's uid; a pod must run as this service account, and
 * a scheduled pod's node is named in the token. Answers 201 with the token.
 */
import type { TokenRequest } from 'kubernetes-types/authentication/v1.js';
import type { KubeObject } from '../../../api/object.js';
import { StatusError, badRequest, conflict, fieldError, invalid, type FieldError } from '../../../api/status.js';
import { decodeObject, readBody } from '../../http/body.js';
import { writeObject } from '../../http/respond.js';
import type { ResourceStore } from '../../generic/resourceStore.js';
import { formatTime } from '../../generic/objectMetaFill.js';
import { issueBoundToken, type BoundTokenRequest } from '../../serviceaccount/tokenIssuer.js';
import type { TokenKeys } from '../../../api/serviceaccount/tokenSigner.js';
import type { ResourceRequest } from '../context.js';
import { requestKind } from '../writeOptions.js';

/** Upstream's bounds on a requested token lifetime. */
const MIN_EXPIRATION_SECONDS = 600;
const MAX_EXPIRATION_SECONDS = 2 ** 32;
const DEFAULT_EXPIRATION_SECONDS = 3600;

/** What the TokenRequest handler needs besides the serviceaccounts store. */
export interface TokenRequestDeps {
  keys: TokenKeys;
  /** The audiences a token gets when the request names none. */
  apiAudiences: readonly string[];
  pods: ResourceStore;
  secrets: ResourceStore;
  nodes: ResourceStore;
}

function validate(spec: { expirationSeconds: number }): FieldError[] {
  const errors: FieldError[] = [];
  if (spec.expirationSeconds < MIN_EXPIRATION_SECONDS) {
    errors.push(fieldError.invalid('spec.expirationSeconds', spec.expirationSeconds, 'may not specify a duration less than 10 minutes'));
  }
  if (spec.expirationSeconds > MAX_EXPIRATION_SECONDS) {
    errors.push(fieldError.invalid('spec.expirationSeconds', spec.expirationSeconds, 'may not specify a duration larger than 2^32 seconds'));
  }
  return errors;
}

/** The bound object's claims, after checking it exists and matches. */
async function bindTo(ref: NonNullable<TokenRequest['spec']['boundObjectRef']>, account: string, namespace: string, deps: TokenRequestDeps, request: BoundTokenRequest): Promise<void> {
  const apiVersion = ref.apiVersion ?? '';
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  const name = ref.name ?? '';
  let found: KubeObject;
  if (group === '' && ref.kind === 'Pod') {
    found = await deps.pods.get(namespace, name);
    const pod = found as KubeObject & { spec?: { serviceAccountName?: string; nodeName?: string } };
    if (pod.spec?.serviceAccountName !== account) {
      throw badRequest(`cannot bind token for serviceaccount "${account}" to pod running with different serviceaccount name.`);
    }
    request.pod = { name, uid: found.metadata.uid ?? '' };
    const nodeName = pod.spec.nodeName;
    if (nodeName) {
      const node = await deps.nodes.get('', nodeName).catch(() => undefined);
      if (node !== undefined) request.node = { name: nodeName, uid: node.metadata.uid ?? '' };
    }
  } else if (group === '' && ref.kind === 'Secret') {
    found = await deps.secrets.get(namespace, name);
    request.secret = { name, uid: found.metadata.uid ?? '' };
  } else {
    const version = apiVersion.includes('/') ? apiVersion.slice(apiVersion.indexOf('/') + 1) : apiVersion;
    throw badRequest(`cannot bind token to object of type ${group === '' ? '' : `${group}/`}${version}, Kind=${ref.kind ?? ''}`);
  }
  if (ref.uid && ref.uid !== found.metadata.uid) {
    throw conflict(
      { group, resource: ref.kind ?? '' },
      name,
      `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`,
    );
  }
}

/** POST /api/v1/namespaces/{ns}/serviceaccounts/{name}/token. */
export async function handleTokenRequest(r: ResourceRequest, deps: TokenRequestDeps): Promise<void> {
  const body = decodeObject(await readBody(r.req), r.req.headers['content-type'], requestKind(r)) as unknown as TokenRequest;
  const { namespace, name } = r.requestInfo;
  const account = await r.store.get(namespace, name);
  const spec = {
    ...body.spec,
    audiences: body.spec?.audiences?.length ? body.spec.audiences : [...deps.apiAudiences],
    expirationSeconds: body.spec?.expirationSeconds || DEFAULT_EXPIRATION_SECONDS,
  };
  const errors = validate(spec);
  if (errors.length > 0) {
    // Upstream names the kind with its group here: TokenRequest.authentication.k8s.io "name" is invalid: …
    const error = invalid('TokenRequest', 'authentication.k8s.io', name, errors);
    throw new StatusError(error.code, error.reason, error.message.replace(/^TokenRequest /, 'TokenRequest.authentication.k8s.io '), error.details);
  }
  const request: BoundTokenRequest = {
    namespace,
    serviceAccount: { name, uid: account.metadata.uid ?? '' },
    audiences: spec.audiences,
    expirationSeconds: spec.expirationSeconds,
    now: r.now,
  };
  if (spec.boundObjectRef) await bindTo(spec.boundObjectRef, name, namespace, deps, request);
  const issued = await issueBoundToken(deps.keys, request);
  writeObject(r.res, 201, {
    kind: 'TokenRequest',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { ...body.metadata, name, namespace, creationTimestamp: null },
    spec,
    status: { token: issued.token, expirationTimestamp: formatTime(issued.expirationTimestamp) },
  });
}
