/**
 * The generic store's managedFields hook: every create, update and non-apply patch
 * of a resource records its manager's fields, as upstream's FieldManager.Update does.
 */
import type { KubeObject } from '../../api/object.js';
import type { ResourceInfo } from '../../api/resources.js';
import { apiVersionOf } from '../../api/resources.js';
import type { ManagedFieldsRecorder } from '../generic/resourceStore.js';
import type { PatchSchema } from '../patch/schema.js';
import { ignoredFieldsOf } from './reset-fields.js';
import { setManagedFields } from './strip.js';
import { updateManagedFields } from './update.js';

/** A recorder for the objects of `info`, whose root schema `schemaOf` gives (undefined: schemaless). */
export function managedFieldsRecorder(info: ResourceInfo, schemaOf: () => PatchSchema | undefined): ManagedFieldsRecorder {
  const apiVersion = apiVersionOf(info.group, info.version);
  return {
    recordUpdate(old: KubeObject | undefined, updated: KubeObject, write): void {
      const recorded = updateManagedFields(old, updated, {
        manager: write.manager,
        apiVersion,
        schema: schemaOf(),
        ignoredFields: ignoredFieldsOf(info, write.subresource),
        now: () => write.now,
        ...(write.subresource !== '' ? { subresource: write.subresource } : {}),
      });
      setManagedFields(updated, recorded.metadata.managedFields);
    },
  };
}
