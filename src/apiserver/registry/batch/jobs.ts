/**
 * Jobs (batch/v1): defaults (completions/parallelism 1, backoffLimit 6,
 * completionMode NonIndexed, suspend false, podReplacementPolicy, labels from
 * the template), the generated selector (`batch.kubernetes.io/controller-uid`)
 * unless manualSelector, validation, and an immutable template/selector.
 */
import type { Job, JobSpec } from 'kubernetes-types/batch/v1.js';
import type { KubeObject } from '../../../api/object.js';
import { fieldError, type FieldError } from '../../../api/status.js';
import { validateLabelSelector } from '../../../api/validation/labels.js';
import { validateSelectorImmutable } from '../apps/workload.js';
import { defaultPodTemplateSpec } from '../../../api/podDefaults.js';
import { oneOf, validatePodSpec } from '../core/podValidation.js';
import { validateImmutableField } from '../objectMeta.js';
import { selectorMatches } from '../labelSelector.js';
import { goStringMap, invalidRendered } from '../../../api/validation/goValue.js';
import type { Strategy } from '../strategy.js';
import { statusSubresource } from '../statusSplit.js';
import { nonNegativeInt } from '../apps/workload.js';

const asJob = (obj: KubeObject): Job => obj as unknown as Job;

/** Applies `SetDefaults_Job`; object labels default from the template's. */
export function defaultJob(job: Job): void {
  const spec = job.spec;
  if (!spec) return;
  if (spec.completions === undefined && spec.parallelism === undefined) spec.completions = 1;
  spec.parallelism ??= 1;
  spec.backoffLimit ??= spec.backoffLimitPerIndex !== undefined ? 2147483647 : 6;
  const labels = spec.template?.metadata?.labels;
  if (labels && Object.keys(job.metadata?.labels ?? {}).length === 0) (job.metadata as Record<string, unknown>).labels = { ...labels };
  spec.completionMode ||= 'NonIndexed';
  spec.suspend ??= false;
  spec.podReplacementPolicy ||= spec.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed';
  for (const rule of spec.podFailurePolicy?.rules ?? []) {
    for (const pattern of rule.onPodConditions ?? []) pattern.status ||= 'True';
  }
  defaultPodTemplateSpec(spec.template);
}

/** Sets the generated selector and template labels once the job has a uid. */
export function generateJobSelector(job: Job): void {
  const spec = job.spec;
  const uid = job.metadata?.uid;
  if (!spec || spec.manualSelector === true || !uid) return;
  const template = (spec.template ??= {});
  const meta = (template.metadata ??= {});
  const labels = (meta.labels ??= {});
  const name = job.metadata?.name ?? '';
  labels['batch.kubernetes.io/controller-uid'] ??= uid;
  labels['batch.kubernetes.io/job-name'] ??= name;
  labels['controller-uid'] ??= uid;
  labels['job-name'] ??= name;
  spec.selector ??= { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
}

/** backoffLimitPerIndex needs Indexed completion; maxFailedIndexes needs backoffLimitPerIndex and at most completions. */
function validatePerIndexBackoff(spec: JobSpec): FieldError[] {
  const errs: FieldError[] = [];
  if (spec.backoffLimitPerIndex !== undefined) {
    errs.push(...nonNegativeInt(spec.backoffLimitPerIndex, 'spec.backoffLimitPerIndex'));
    if (spec.completionMode !== 'Indexed') errs.push(fieldError.invalid('spec.backoffLimitPerIndex', spec.backoffLimitPerIndex, 'requires indexed completion mode'));
  }
  if (spec.maxFailedIndexes !== undefined) {
    errs.push(...nonNegativeInt(spec.maxFailedIndexes, 'spec.maxFailedIndexes'));
    if (spec.backoffLimitPerIndex === undefined) errs.push(fieldError.required('spec.backoffLimitPerIndex', 'when maxFailedIndexes is specified'));
    if (spec.completions !== undefined && spec.completions !== null && spec.maxFailedIndexes > spec.completions) {
      errs.push(fieldError.invalid('spec.maxFailedIndexes', spec.maxFailedIndexes, 'must be less than or equal to completions'));
    }
  }
  return errs;
}

function validateJobSpec(spec: JobSpec | undefined): FieldError[] {
  if (!spec) return [fieldError.required('spec')];
  const errs: FieldError[] = [
    ...nonNegativeInt(spec.parallelism, 'spec.parallelism'),
    ...nonNegativeInt(spec.completions, 'spec.completions'),
    ...nonNegativeInt(spec.backoffLimit, 'spec.backoffLimit'),
    ...nonNegativeInt(spec.ttlSecondsAfterFinished, 'spec.ttlSecondsAfterFinished'),
  ];
  if (spec.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds <= 0) {
    errs.push(fieldError.invalid('spec.activeDeadlineSeconds', spec.activeDeadlineSeconds, 'must be greater than 0'));
  }
  errs.push(...oneOf(spec.completionMode, ['Indexed', 'NonIndexed'], 'spec.completionMode'));
  if (spec.completionMode === 'Indexed' && (spec.completions === undefined || spec.completions === null)) {
    errs.push(fieldError.required('spec.completions', 'when completion mode is Indexed'));
  }
  errs.push(...validatePerIndexBackoff(spec));
  if (spec.podFailurePolicy && spec.template?.spec?.restartPolicy !== 'Never') {
    errs.push(fieldError.invalid('spec.template.spec.restartPolicy', spec.template?.spec?.restartPolicy ?? '', 'only "Never" is supported when podFailurePolicy is specified'));
  }
  if (!spec.selector) errs.push(fieldError.required('spec.selector'));
  else errs.push(...validateLabelSelector(spec.selector, 'spec.selector'));
  const template = spec.template ?? {};
  if (spec.selector && !selectorMatches(spec.selector, template.metadata?.labels)) {
    errs.push(invalidRendered('spec.template.metadata.labels', goStringMap(template.metadata?.labels), '`selector` does not match template `labels`'));
  }
  errs.push(...validatePodSpec(template.spec ?? { containers: [] }, 'spec.template.spec', { isPod: false }));
  const restartPolicy = template.spec?.restartPolicy;
  if (restartPolicy !== 'OnFailure' && restartPolicy !== 'Never') {
    errs.push(fieldError.notSupported('spec.template.spec.restartPolicy', restartPolicy ?? '', ['OnFailure', 'Never']));
  }
  return errs;
}

/** The jobs strategy. */
export const jobStrategy: Strategy = {
  ...statusSubresource(),
  tracksGeneration: true,
  applyDefaults(obj) {
    defaultJob(asJob(obj));
  },
  validate(obj) {
    const job = asJob(obj);
    generateJobSelector(job);
    return validateJobSpec(job.spec);
  },
  validateUpdate(obj, old) {
    const next = asJob(obj).spec;
    const prev = asJob(old).spec;
    const errs = [
      ...validateSelectorImmutable(next?.selector, prev?.selector, 'spec.selector'),
      ...validateImmutableField(next?.completionMode, prev?.completionMode, 'spec.completionMode'),
    ];
    if (!(prev?.suspend === true)) {
      errs.push(...validateImmutableField(next?.template, prev?.template, 'spec.template'));
    }
    return errs;
  },
  selectableFields: {
    'status.successful': (obj) => String(asJob(obj).status?.succeeded ?? 0),
  },
};
