/**
 * ResourceQuotas (core/v1): hard limits must be valid quantities; scopes known.
 */
import type { ResourceQuota } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../api/object.js';
import { fieldError } from '../../../api/status.js';
import type { Strategy } from '../strategy.js';
import { statusSubresource } from '../statusSplit.js';
import { defaultResourceList, validateResourceList, type ResourceList } from '../../../api/resourceLists.js';

const asQuota = (obj: KubeObject): ResourceQuota => obj as unknown as ResourceQuota;

const SCOPES = ['BestEffort', 'CrossNamespacePodAffinity', 'NotBestEffort', 'NotTerminating', 'PriorityClass', 'Terminating'];

/** The resourcequotas strategy. */
export const resourceQuotaStrategy: Strategy = {
  ...statusSubresource(),
  applyDefaults(obj) {
    defaultResourceList(asQuota(obj).spec?.hard as ResourceList | undefined);
  },
  validate(obj) {
    const spec = asQuota(obj).spec;
    const errs = validateResourceList(spec?.hard as ResourceList | undefined, 'spec.hard');
    (spec?.scopes ?? []).forEach((scope) => {
      if (!SCOPES.includes(scope)) errs.push(fieldError.notSupported('spec.scopes', scope, SCOPES));
    });
    return errs;
  },
};
