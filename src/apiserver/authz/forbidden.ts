/**
 * The 403 a request gets when authorization does not allow it, worded as upstream's
 * `responsewriters.Forbidden`: `pods "x" is forbidden: User "u" cannot get resource
 * "pods" in API group "" in the namespace "default"[: reason]`.
 */
import { StatusError, forbidden } from '../../api/status.js';
import type { AuthorizationAttributes } from './authorizer.js';

/** The sentence naming who cannot do what, without the reason. */
export function forbiddenMessage(attributes: AuthorizationAttributes): string {
  const who = `User ${JSON.stringify(attributes.user.username)}`;
  if (!attributes.resourceRequest) {
    return `${who} cannot ${attributes.verb} path ${JSON.stringify(attributes.path)}`;
  }
  const resource = attributes.subresource === '' ? attributes.resource : `${attributes.resource}/${attributes.subresource}`;
  const what = `${who} cannot ${attributes.verb} resource ${JSON.stringify(resource)} in API group ${JSON.stringify(attributes.group)}`;
  return attributes.namespace === ''
    ? `${what} at the cluster scope`
    : `${what} in the namespace ${JSON.stringify(attributes.namespace)}`;
}

/** The 403 Forbidden error for a request that was not allowed, with the authorizer's reason when it gave one. */
export function forbiddenError(attributes: AuthorizationAttributes, reason: string): StatusError {
  const why = reason === '' ? forbiddenMessage(attributes) : `${forbiddenMessage(attributes)}: ${reason}`;
  if (!attributes.resourceRequest) return new StatusError(403, 'Forbidden', `forbidden: ${why}`, {});
  return forbidden({ group: attributes.group, resource: attributes.resource }, attributes.name, why);
}
