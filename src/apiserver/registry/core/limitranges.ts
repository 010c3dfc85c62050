/**
 * LimitRanges (core/v1): container items get default limits from max and
 * default requests from default limits or min, as `SetDefaults_LimitRangeItem`.
 */
import type { LimitRange, LimitRangeItem } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../api/object.js';
import type { FieldError } from '../../../api/status.js';
import type { Strategy } from '../strategy.js';
import { oneOf } from './podValidation.js';
import { defaultResourceList, validateResourceList, type ResourceList } from '../../../api/resourceLists.js';

const asLimitRange = (obj: KubeObject): LimitRange => obj as unknown as LimitRange;

const LIST_FIELDS = ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio'] as const;

function defaultItem(item: LimitRangeItem): void {
  for (const field of LIST_FIELDS) defaultResourceList(item[field] as ResourceList | undefined);
  if (item.type !== 'Container') return;
  const limits = (item.default ??= {});
  const requests = (item.defaultRequest ??= {});
  for (const [name, value] of Object.entries(item.max ?? {})) if (!(name in limits)) limits[name] = value;
  for (const [name, value] of Object.entries(limits)) if (!(name in requests)) requests[name] = value;
  for (const [name, value] of Object.entries(item.min ?? {})) if (!(name in requests)) requests[name] = value;
}

/** The limitranges strategy. */
export const limitRangeStrategy: Strategy = {
  applyDefaults(obj) {
    for (const item of asLimitRange(obj).spec?.limits ?? []) defaultItem(item);
  },
  validate(obj) {
    const errs: FieldError[] = [];
    (asLimitRange(obj).spec?.limits ?? []).forEach((item, i) => {
      const at = `spec.limits[${i}]`;
      errs.push(...oneOf(item.type, ['Container', 'Pod', 'PersistentVolumeClaim'], `${at}.type`));
      for (const field of LIST_FIELDS) errs.push(...validateResourceList(item[field] as ResourceList | undefined, `${at}.${field}`));
    });
    return errs;
  },
};
