/**
 * The pods a Job creates (upstream manageJob's template handling): the template's
 * labels, annotations and spec, the tracking finalizer and a controller
 * ownerReference; for Indexed Jobs also the completion index (annotation and label),
 * JOB_COMPLETION_INDEX in every container's env (from the label through the downward
 * API), hostname `<job>-<index>` and the name prefix `<job>-<index>-`; with
 * backoffLimitPerIndex also the index's failure counts so far.
 */
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import {
  COMPLETION_INDEX_KEY,
  INDEX_FAILURE_COUNT_ANNOTATION,
  INDEX_IGNORED_FAILURE_COUNT_ANNOTATION,
  JOB_TRACKING_FINALIZER,
  type JobObject,
  type PodObject,
} from './jobPods.js';

/** The env variable an Indexed Job's containers read their index from. */
export const COMPLETION_INDEX_ENV = 'JOB_COMPLETION_INDEX';
/** Upstream `names.MaxGeneratedNameLength`: a generated name's prefix is at most this long. */
const MAX_GENERATED_NAME_LENGTH = 58;

/** The controller ownerReference a Job puts on its pods. */
export function jobOwnerReference(job: JobObject): OwnerReference {
  return { apiVersion: 'batch/v1', kind: 'Job', name: job.metadata.name ?? '', uid: job.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
}

function withIndexEnv(container: Container): Container {
  if (container.env?.some((v) => v.name === COMPLETION_INDEX_ENV)) return container;
  const fieldPath = `metadata.labels['${COMPLETION_INDEX_KEY}']`;
  return { ...container, env: [...(container.env ?? []), { name: COMPLETION_INDEX_ENV, valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath } } }] };
}

function indexedGenerateName(jobName: string, index: number): string {
  const suffix = `-${index}-`;
  const prefix = jobName + suffix;
  return prefix.length > MAX_GENERATED_NAME_LENGTH ? jobName.slice(0, MAX_GENERATED_NAME_LENGTH - suffix.length) + suffix : prefix;
}

/** How the index of a backoffLimitPerIndex pod failed before (from its last failed pod). */
export interface IndexFailures {
  failed: number;
  ignored: number;
}

/** The pod to create for `job`, with `index` for Indexed Jobs. */
export function podForJob(job: JobObject, index?: number, failures?: IndexFailures): PodObject {
  const template = job.spec?.template ?? {};
  const labels: Record<string, string> = { ...template.metadata?.labels };
  const annotations: Record<string, string> = { ...template.metadata?.annotations };
  const spec = structuredClone(template.spec ?? { containers: [] }) as NonNullable<Pod['spec']>;
  let generateName = `${job.metadata.name ?? ''}-`;
  if (index !== undefined) {
    annotations[COMPLETION_INDEX_KEY] = String(index);
    labels[COMPLETION_INDEX_KEY] = String(index);
    spec.containers = spec.containers.map(withIndexEnv);
    if (spec.initContainers !== undefined) spec.initContainers = spec.initContainers.map(withIndexEnv);
    spec.hostname = `${job.metadata.name ?? ''}-${index}`;
    generateName = indexedGenerateName(job.metadata.name ?? '', index);
    if (failures !== undefined) {
      annotations[INDEX_FAILURE_COUNT_ANNOTATION] = String(failures.failed);
      if (failures.ignored > 0) annotations[INDEX_IGNORED_FAILURE_COUNT_ANNOTATION] = String(failures.ignored);
    }
  }
  const finalizers = [...(template.metadata?.finalizers ?? [])];
  if (!finalizers.includes(JOB_TRACKING_FINALIZER)) finalizers.push(JOB_TRACKING_FINALIZER);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { generateName, labels, annotations, finalizers, ownerReferences: [jobOwnerReference(job)] },
    spec,
  };
}
