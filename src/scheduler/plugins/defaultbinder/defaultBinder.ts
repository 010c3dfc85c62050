/**
 * DefaultBinder (Bind): POSTs a Binding to the pod's `binding` subresource.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../api/object.js';
import type { CycleState } from '../../framework/cycleState.js';
import type { BindPlugin } from '../../framework/interface.js';
import type { SchedulerHandle } from '../../framework/profile.js';
import { errorStatus, success, type Status } from '../../framework/status.js';

/** The plugin's name. */
export const DEFAULT_BINDER = 'DefaultBinder';

/** Builds the DefaultBinder plugin. */
export function newDefaultBinder(handle: SchedulerHandle): BindPlugin {
  return {
    name: DEFAULT_BINDER,
    async bind(_state: CycleState, pod: Pod, nodeName: string, signal: AbortSignal): Promise<Status> {
      const namespace = pod.metadata?.namespace ?? '';
      const binding = {
        apiVersion: 'v1',
        kind: 'Binding',
        metadata: { name: pod.metadata?.name ?? '', namespace, uid: pod.metadata?.uid ?? '' },
        target: { kind: 'Node', name: nodeName },
      } as KubeObject;
      try {
        await handle.client.create({ group: '', version: 'v1', resource: 'pods', namespace }, binding, { subresource: 'binding', signal });
        return success();
      } catch (err) {
        return errorStatus(err instanceof Error ? err.message : String(err));
      }
    },
  };
}
