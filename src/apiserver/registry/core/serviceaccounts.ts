/**
 * ServiceAccounts (core/v1): nothing beyond ObjectMeta, save that referenced
 * secrets need names.
 */
import type { ServiceAccount } from 'kubernetes-types/core/v1.js';
import { fieldError } from '../../../api/status.js';
import type { Strategy } from '../strategy.js';

/** The serviceaccounts strategy. */
export const serviceAccountStrategy: Strategy = {
  validate(obj) {
    const sa = obj as unknown as ServiceAccount;
    return (sa.imagePullSecrets ?? []).flatMap((ref, i) => (ref.name ? [] : [fieldError.required(`imagePullSecrets[${i}].name`)]));
  },
};
