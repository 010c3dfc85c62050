/**
 * Upstream `getAllReplicaSetsAndSyncRevision`: splits the deployment's ReplicaSets
 * into the new one (template equal to the deployment's) and the old ones, brings the
 * new one's revision, copied annotations and minReadySeconds up to date (or creates it,
 * named `<deployment>-<pod-template-hash>`, when asked to), and mirrors its revision
 * on the deployment. A name taken by a set with another template is a hash collision:
 * `status.collisionCount` goes up and the next sync tries another name.
 */
import { isStatusReason } from '../../api/status.js';
import { PROGRESSING, REASON, conditionOf, newCondition, setCondition } from './conditions.js';
import { hasProgressDeadline } from './deploymentStatus.js';
import type { DeploymentObject, ReplicaSetObject } from './objects.js';
import { replicaSetsIn, specReplicas } from './objects.js';
import { controllerRefOf, deploymentOwnerReference } from './replicaSetClaims.js';
import { POD_TEMPLATE_HASH, equalIgnoringHash, findNewReplicaSet, findOldReplicaSets, specReplicaSum } from './replicaSetSets.js';
import { REVISION, maxRevision, setNewReplicaSetAnnotations } from './revisionAnnotations.js';
import type { Rollout } from './rollout.js';
import { isRollingUpdate, scaledValue } from './rolloutBounds.js';
import { podTemplateHash } from './templateHash.js';

/** The new ReplicaSet (if any) and the old ones of a deployment. */
export interface ReplicaSetSplit {
  newRs: ReplicaSetObject | undefined;
  oldSets: ReplicaSetObject[];
}

/**
 * Upstream `NewRSNewReplicas`: the size the new set may grow to now. Rolling updates
 * stay within replicas + maxSurge in total; Recreate goes straight to `spec.replicas`.
 */
export function newReplicaSetSize(deployment: DeploymentObject, sets: readonly ReplicaSetObject[], newRs: ReplicaSetObject): number {
  const replicas = specReplicas(deployment.spec);
  if (!isRollingUpdate(deployment)) return replicas;
  const surge = scaledValue(deployment.spec?.strategy?.rollingUpdate?.maxSurge, replicas, true);
  const current = specReplicaSum(sets);
  const maxTotal = replicas + surge;
  if (current >= maxTotal) return specReplicas(newRs.spec);
  return specReplicas(newRs.spec) + Math.min(maxTotal - current, replicas - specReplicas(newRs.spec));
}

/** Writes a Progressing condition (only for deployments with a progress deadline). */
async function setProgressing(rollout: Rollout, status: 'True' | 'False', reason: string, message: string): Promise<void> {
  if (!hasProgressDeadline(rollout.deployment)) return;
  const next = structuredClone(rollout.deployment.status ?? {});
  setCondition(next, newCondition(PROGRESSING, status, reason, message, rollout.deps.clock.now()));
  await rollout.writeStatus(next);
}

async function refreshExisting(rollout: Rollout, existing: ReplicaSetObject, newRevision: number): Promise<ReplicaSetObject> {
  const copy = structuredClone(existing);
  const annotationsChanged = setNewReplicaSetAnnotations(rollout.deployment, copy, newRevision, true);
  const minReadySeconds = rollout.deployment.spec?.minReadySeconds ?? 0;
  if (annotationsChanged || (copy.spec?.minReadySeconds ?? 0) !== minReadySeconds) {
    copy.spec = { ...copy.spec, minReadySeconds, selector: copy.spec?.selector ?? {} };
    return rollout.updateReplicaSet(copy);
  }
  await rollout.syncRevision(copy.metadata.annotations?.[REVISION]);
  if (conditionOf(rollout.deployment.status, PROGRESSING) === undefined) {
    await setProgressing(rollout, 'True', REASON.foundNewReplicaSet, `Found new replica set "${copy.metadata.name}"`);
  }
  return copy;
}

/** The ReplicaSet to create for the deployment's current template. */
function replicaSetFor(deployment: DeploymentObject, hash: string): ReplicaSetObject {
  const template = structuredClone(deployment.spec?.template ?? {});
  const labels = { ...template.metadata?.labels, [POD_TEMPLATE_HASH]: hash };
  template.metadata = { ...template.metadata, labels };
  const selector = structuredClone(deployment.spec?.selector ?? {});
  selector.matchLabels = { ...selector.matchLabels, [POD_TEMPLATE_HASH]: hash };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: `${deployment.metadata.name}-${hash}`, namespace: deployment.metadata.namespace, ownerReferences: [deploymentOwnerReference(deployment)], labels: { ...labels } },
    spec: { replicas: 0, minReadySeconds: deployment.spec?.minReadySeconds ?? 0, selector, template },
  };
}

async function bumpCollisionCount(rollout: Rollout): Promise<void> {
  const next = structuredClone(rollout.deployment.status ?? {});
  next.collisionCount = (next.collisionCount ?? 0) + 1;
  await rollout.writeStatus(next);
}

async function createNew(rollout: Rollout, oldSets: readonly ReplicaSetObject[], newRevision: number): Promise<ReplicaSetObject> {
  const deployment = rollout.deployment;
  const hash = podTemplateHash(deployment.spec?.template, deployment.status?.collisionCount);
  const rs = replicaSetFor(deployment, hash);
  const size = newReplicaSetSize(deployment, [...oldSets, rs], rs);
  rs.spec = { ...rs.spec, replicas: size, selector: rs.spec?.selector ?? {} };
  setNewReplicaSetAnnotations(deployment, rs, newRevision, false);
  let created: ReplicaSetObject;
  let alreadyExisted = false;
  try {
    created = await rollout.deps.client.create<ReplicaSetObject>(replicaSetsIn(deployment.metadata.namespace), rs, { signal: rollout.deps.signal });
  } catch (err) {
    if (isStatusReason(err, 'AlreadyExists')) {
      const taken = await rollout.deps.client.get<ReplicaSetObject>(replicaSetsIn(deployment.metadata.namespace), rs.metadata.name ?? '', { signal: rollout.deps.signal });
      const ours = controllerRefOf(taken)?.uid === deployment.metadata.uid;
      if (!(ours && equalIgnoringHash(taken.spec?.template, deployment.spec?.template))) {
        await bumpCollisionCount(rollout);
        throw err;
      }
      created = taken;
      alreadyExisted = true;
    } else {
      if (!(isStatusReason(err, 'Forbidden') && JSON.stringify(err).includes('NamespaceTerminating'))) {
        const message = `Failed to create new replica set "${rs.metadata.name}": ${err instanceof Error ? err.message : String(err)}`;
        await setProgressing(rollout, 'False', REASON.failedCreate, message).catch(() => undefined);
        rollout.event('Warning', REASON.failedCreate, message);
      }
      throw err;
    }
  }
  if (!alreadyExisted && size > 0) rollout.event('Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata.name} from 0 to ${size}`);
  await rollout.syncRevision(String(newRevision));
  if (!alreadyExisted) await setProgressing(rollout, 'True', REASON.newReplicaSetCreated, `Created new replica set "${created.metadata.name}"`);
  rollout.sets.push(created);
  return created;
}

/** See the module comment; `create` says whether a missing new set is created. */
export async function replicaSetsAndSyncRevision(rollout: Rollout, create: boolean): Promise<ReplicaSetSplit> {
  const oldSets = findOldReplicaSets(rollout.deployment, rollout.sets);
  const existing = findNewReplicaSet(rollout.deployment, rollout.sets);
  const newRevision = maxRevision(oldSets) + 1;
  if (existing !== undefined) return { newRs: await refreshExisting(rollout, existing, newRevision), oldSets };
  if (!create) return { newRs: undefined, oldSets };
  return { newRs: await createNew(rollout, oldSets, newRevision), oldSets };
}
