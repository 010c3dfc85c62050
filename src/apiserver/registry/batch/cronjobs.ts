/**
 * CronJobs (batch/v1): defaults (concurrencyPolicy Allow, suspend false,
 * history limits 3 and 1, job template defaults), schedule syntax, time zone
 * and job template validation.
 */
import type { CronJob } from 'kubernetes-types/batch/v1.js';
import type { KubeObject } from '../../../api/object.js';
import { fieldError, type FieldError } from '../../../api/status.js';
import { nonNegativeInt } from '../apps/workload.js';
import { defaultPodTemplateSpec } from '../../../api/podDefaults.js';
import { oneOf, validatePodSpec } from '../core/podValidation.js';
import type { Strategy } from '../strategy.js';
import { statusSubresource } from '../statusSplit.js';

const asCronJob = (obj: KubeObject): CronJob => obj as unknown as CronJob;

const MACROS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];
const FIELD_RANGES: ReadonlyArray<readonly [number, number]> = [[0, 59], [0, 23], [1, 31], [1, 12], [0, 7]];
const NAMES = [
  ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'],
  ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'],
];

function validField(field: string, index: number): boolean {
  const [lo, hi] = FIELD_RANGES[index] ?? [0, 0];
  const names = index === 3 ? NAMES[0] : index === 4 ? NAMES[1] : undefined;
  const value = (text: string): number | undefined => {
    if (/^[0-9]+$/.test(text)) return Number(text);
    const at = names?.indexOf(text.toLowerCase()) ?? -1;
    return at >= 0 ? at + (index === 3 ? 1 : 0) : undefined;
  };
  return field.split(',').every((part) => {
    const [range, step] = part.split('/');
    if (step !== undefined && !/^[1-9][0-9]*$/.test(step)) return false;
    if (range === '*' || range === '?') return true;
    const bounds = (range ?? '').split('-');
    if (bounds.length > 2) return false;
    const values = bounds.map(value);
    return values.every((v) => v !== undefined && v >= lo && v <= hi) && (values.length === 1 || (values[0] ?? 0) <= (values[1] ?? 0));
  });
}

/** True for a zone of the IANA database (Intl knows links such as Asia/Kolkata that its canonical list omits). */
function isIanaTimeZone(zone: string): boolean {
  if (!/^[A-Za-z0-9_+-]+(\/[A-Za-z0-9_+-]+)*$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** An error text for an unparseable cron schedule, or undefined when it parses. */
export function scheduleError(schedule: string): string | undefined {
  const text = schedule.trim();
  if (/^(TZ|CRON_TZ)=/.test(text)) return 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead';
  if (text.startsWith('@every ')) {
    return /^@every\s+([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/.test(text) ? undefined : 'unparseable duration';
  }
  if (text.startsWith('@')) return MACROS.includes(text) ? undefined : `unrecognized descriptor: ${text}`;
  const fields = text.split(/\s+/);
  if (fields.length !== 5) return `expected exactly 5 fields, found ${fields.length}: ${text}`;
  return fields.every(validField) ? undefined : `failed to parse schedule: ${text}`;
}

function validateCronJob(cronJob: CronJob): FieldError[] {
  const spec = cronJob.spec;
  if (!spec) return [fieldError.required('spec')];
  const errs: FieldError[] = [];
  if (!spec.schedule) errs.push(fieldError.required('spec.schedule'));
  else {
    const why = scheduleError(spec.schedule);
    if (why) errs.push(fieldError.invalid('spec.schedule', spec.schedule, why));
  }
  if (spec.timeZone !== undefined && spec.timeZone !== null) {
    if (spec.timeZone === '') errs.push(fieldError.invalid('spec.timeZone', spec.timeZone, 'timeZone must be nil or non-empty string'));
    else if (spec.timeZone.toLowerCase() === 'local') errs.push(fieldError.invalid('spec.timeZone', spec.timeZone, 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones'));
    else if (!isIanaTimeZone(spec.timeZone)) errs.push(fieldError.invalid('spec.timeZone', spec.timeZone, 'unknown time zone ' + spec.timeZone));
  }
  errs.push(...oneOf(spec.concurrencyPolicy, ['Allow', 'Forbid', 'Replace'], 'spec.concurrencyPolicy'));
  errs.push(...nonNegativeInt(spec.startingDeadlineSeconds, 'spec.startingDeadlineSeconds'));
  errs.push(...nonNegativeInt(spec.successfulJobsHistoryLimit, 'spec.successfulJobsHistoryLimit'));
  errs.push(...nonNegativeInt(spec.failedJobsHistoryLimit, 'spec.failedJobsHistoryLimit'));
  const jobSpec = spec.jobTemplate?.spec;
  if (!jobSpec) errs.push(fieldError.required('spec.jobTemplate.spec'));
  else {
    const template = jobSpec.template ?? {};
    errs.push(...validatePodSpec(template.spec ?? { containers: [] }, 'spec.jobTemplate.spec.template.spec', { isPod: false }));
    const restartPolicy = template.spec?.restartPolicy;
    if (restartPolicy !== 'OnFailure' && restartPolicy !== 'Never') {
      errs.push(fieldError.notSupported('spec.jobTemplate.spec.template.spec.restartPolicy', restartPolicy ?? '', ['OnFailure', 'Never']));
    }
  }
  return errs;
}

/** The cronjobs strategy. */
export const cronJobStrategy: Strategy = {
  ...statusSubresource(),
  tracksGeneration: true,
  applyDefaults(obj) {
    const spec = asCronJob(obj).spec;
    if (!spec) return;
    spec.concurrencyPolicy ||= 'Allow';
    spec.suspend ??= false;
    spec.successfulJobsHistoryLimit ??= 3;
    spec.failedJobsHistoryLimit ??= 1;
    const jobSpec = spec.jobTemplate?.spec;
    if (jobSpec) {
      if (jobSpec.completions === undefined && jobSpec.parallelism === undefined) jobSpec.completions = 1;
      jobSpec.parallelism ??= 1;
      jobSpec.backoffLimit ??= 6;
      jobSpec.completionMode ||= 'NonIndexed';
      jobSpec.suspend ??= false;
      jobSpec.podReplacementPolicy ||= jobSpec.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed';
      defaultPodTemplateSpec(jobSpec.template);
    }
  },
  validate(obj) {
    return validateCronJob(asCronJob(obj));
  },
};
