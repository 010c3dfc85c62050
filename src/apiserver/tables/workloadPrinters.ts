/**
 * Printers for workload controllers: Deployments, ReplicaSets, ReplicationControllers,
 * StatefulSets, DaemonSets, Jobs, CronJobs and ControllerRevisions, with upstream's
 * columns and cell formats (wide columns list containers, images and the selector).
 */
import type { ControllerRevision, DaemonSet, Deployment, ReplicaSet, StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { CronJob, Job, JobCondition } from 'kubernetes-types/batch/v1.js';
import type { ReplicationController } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { parseApiVersion } from '../../api/resources.js';
import { formatLabels, labelSelectorFromObject } from '../../api/selectors/labelSelector.js';
import {
  AGE_COLUMN,
  CONTAINERS_COLUMN,
  IMAGES_COLUMN,
  NAME_COLUMN,
  column,
  containerCells,
  formatLabelSelector,
  formatOptionalBool,
  wideColumn,
} from './columns.js';
import { ageSince, humanDuration, timestampMillis } from './humanDuration.js';
import type { Printer } from './tableTypes.js';

const selectorColumn = (description: string) => wideColumn('Selector', description);
const READY_PODS = 'Number of the pod with ready state';

/** Deployments: READY UP-TO-DATE AVAILABLE AGE; wide CONTAINERS IMAGES SELECTOR. */
export const deploymentPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column('Ready', 'string', READY_PODS),
    column('Up-to-date', 'string', 'Total number of pods targeted by this deployment that have the desired template.'),
    column('Available', 'string', 'Total number of pods targeted by this deployment that are available.'),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    selectorColumn('Label query over the pods this deployment manages.'),
  ],
  cells(obj, now) {
    const d = obj as Deployment;
    let selector: string;
    try {
      selector = labelSelectorFromObject(d.spec?.selector).toString();
    } catch {
      selector = '<invalid>';
    }
    return [
      d.metadata?.name ?? '',
      `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 1}`,
      d.status?.updatedReplicas ?? 0,
      d.status?.availableReplicas ?? 0,
      ageSince(d.metadata?.creationTimestamp, now),
      ...containerCells(d.spec?.template?.spec?.containers),
      selector,
    ];
  },
};

const replicaCountColumns = (kind: string) => [
  NAME_COLUMN,
  column('Desired', 'integer', `Number of pods this ${kind} should run.`),
  column('Current', 'integer', `Number of pods this ${kind} currently runs.`),
  column('Ready', 'integer', `Number of pods of this ${kind} that are ready.`),
  AGE_COLUMN,
  CONTAINERS_COLUMN,
  IMAGES_COLUMN,
  selectorColumn(`Label query over the pods this ${kind} manages.`),
];

/** ReplicaSets: DESIRED CURRENT READY AGE; wide CONTAINERS IMAGES SELECTOR. */
export const replicaSetPrinter: Printer = {
  columns: replicaCountColumns('replica set'),
  cells(obj, now) {
    const rs = obj as ReplicaSet;
    return [
      rs.metadata?.name ?? '',
      rs.spec?.replicas ?? 1,
      rs.status?.replicas ?? 0,
      rs.status?.readyReplicas ?? 0,
      ageSince(rs.metadata?.creationTimestamp, now),
      ...containerCells(rs.spec?.template?.spec?.containers),
      formatLabelSelector(rs.spec?.selector),
    ];
  },
};

/** ReplicationControllers: like ReplicaSets, with a map selector. */
export const replicationControllerPrinter: Printer = {
  columns: replicaCountColumns('replication controller'),
  cells(obj, now) {
    const rc = obj as ReplicationController;
    return [
      rc.metadata?.name ?? '',
      rc.spec?.replicas ?? 1,
      rc.status?.replicas ?? 0,
      rc.status?.readyReplicas ?? 0,
      ageSince(rc.metadata?.creationTimestamp, now),
      ...containerCells(rc.spec?.template?.spec?.containers),
      formatLabels(rc.spec?.selector),
    ];
  },
};

/** StatefulSets: READY AGE; wide CONTAINERS IMAGES. */
export const statefulSetPrinter: Printer = {
  columns: [NAME_COLUMN, column('Ready', 'string', READY_PODS), AGE_COLUMN, CONTAINERS_COLUMN, IMAGES_COLUMN],
  cells(obj, now) {
    const sts = obj as StatefulSet;
    return [
      sts.metadata?.name ?? '',
      `${sts.status?.readyReplicas ?? 0}/${sts.spec?.replicas ?? 1}`,
      ageSince(sts.metadata?.creationTimestamp, now),
      ...containerCells(sts.spec?.template?.spec?.containers),
    ];
  },
};

/** DaemonSets: DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE SELECTOR AGE; wide CONTAINERS IMAGES SELECTOR. */
export const daemonSetPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column('Desired', 'integer', 'Number of nodes that should run the daemon pod.'),
    column('Current', 'integer', 'Number of nodes running at least one daemon pod that should.'),
    column('Ready', 'integer', 'Number of nodes whose daemon pod is ready.'),
    column('Up-to-date', 'integer', 'Number of nodes running the updated daemon pod.'),
    column('Available', 'integer', 'Number of nodes whose daemon pod is available.'),
    column('Node Selector', 'string', 'The node selector of the pod template.'),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    selectorColumn('Label query over the pods this daemon set manages.'),
  ],
  cells(obj, now) {
    const ds = obj as DaemonSet;
    const s = ds.status;
    return [
      ds.metadata?.name ?? '',
      s?.desiredNumberScheduled ?? 0,
      s?.currentNumberScheduled ?? 0,
      s?.numberReady ?? 0,
      s?.updatedNumberScheduled ?? 0,
      s?.numberAvailable ?? 0,
      formatLabels(ds.spec?.template?.spec?.nodeSelector),
      ageSince(ds.metadata?.creationTimestamp, now),
      ...containerCells(ds.spec?.template?.spec?.containers),
      formatLabelSelector(ds.spec?.selector),
    ];
  },
};

/** True when the job has a condition of this type; the first such condition decides. */
function jobCondition(conditions: readonly JobCondition[] | undefined, type: string): boolean {
  return (conditions ?? []).find((c) => c.type === type)?.status === 'True';
}

/** A job's STATUS cell: Complete, Failed, Terminating, Suspended, FailureTarget or Running. */
function jobStatus(job: Job): string {
  const conditions = job.status?.conditions;
  if (jobCondition(conditions, 'Complete')) return 'Complete';
  if (jobCondition(conditions, 'Failed')) return 'Failed';
  if (job.metadata?.deletionTimestamp !== undefined && job.metadata.deletionTimestamp !== null) return 'Terminating';
  if (jobCondition(conditions, 'Suspended')) return 'Suspended';
  if (jobCondition(conditions, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

/** COMPLETIONS: `succeeded/completions`, or `succeeded/1 of parallelism` for work queues. */
function jobCompletions(job: Job): string {
  const succeeded = job.status?.succeeded ?? 0;
  const completions = job.spec?.completions;
  if (completions !== undefined && completions !== null) return `${succeeded}/${completions}`;
  const parallelism = job.spec?.parallelism ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

/** DURATION: start to completion, or start to now while running; empty before start. */
function jobDuration(job: Job, now: Date): string {
  const start = timestampMillis(job.status?.startTime);
  if (start === undefined) return '';
  const end = timestampMillis(job.status?.completionTime) ?? now.getTime();
  return humanDuration(end - start);
}

/** Jobs: STATUS COMPLETIONS DURATION AGE; wide CONTAINERS IMAGES SELECTOR. */
export const jobPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column('Status', 'string', 'Status of the job.'),
    column('Completions', 'string', 'The number of pods which reached phase Succeeded.'),
    column('Duration', 'string', 'Time required to complete the job.'),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    selectorColumn('Label query over the pods this job runs.'),
  ],
  cells(obj, now) {
    const job = obj as Job;
    return [
      job.metadata?.name ?? '',
      jobStatus(job),
      jobCompletions(job),
      jobDuration(job, now),
      ageSince(job.metadata?.creationTimestamp, now),
      ...containerCells(job.spec?.template?.spec?.containers),
      formatLabelSelector(job.spec?.selector),
    ];
  },
};

/** CronJobs: SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE AGE; wide CONTAINERS IMAGES SELECTOR. */
export const cronJobPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column('Schedule', 'string', 'The schedule in Cron format.'),
    column('Timezone', 'string', 'The time zone the schedule is interpreted in.'),
    column('Suspend', 'boolean', 'Whether subsequent executions are suspended.'),
    column('Active', 'integer', 'Number of currently running jobs.'),
    column('Last Schedule', 'string', 'When a job was last successfully scheduled.'),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    selectorColumn('Label query over the pods of the jobs.'),
  ],
  cells(obj, now) {
    const cj = obj as CronJob;
    const last = cj.status?.lastScheduleTime;
    const jobSpec = cj.spec?.jobTemplate?.spec;
    return [
      cj.metadata?.name ?? '',
      cj.spec?.schedule ?? '',
      cj.spec?.timeZone ?? '<none>',
      formatOptionalBool(cj.spec?.suspend),
      (cj.status?.active ?? []).length,
      last === undefined || last === null ? '<none>' : ageSince(last, now),
      ageSince(cj.metadata?.creationTimestamp, now),
      ...containerCells(jobSpec?.template?.spec?.containers),
      formatLabelSelector(jobSpec?.selector),
    ];
  },
};

/** The controlling owner as `kind.group/name` in lower case (`statefulset.apps/web`), or `<none>`. */
function controllerName(obj: KubeObject): string {
  const owner = (obj.metadata.ownerReferences ?? []).find((o) => o.controller === true);
  if (owner === undefined) return '<none>';
  const { group } = parseApiVersion(owner.apiVersion);
  if (owner.kind === '' && group === '') return owner.name;
  const groupKind = group === '' ? owner.kind : `${owner.kind}.${group}`;
  return `${groupKind.toLowerCase()}/${owner.name}`;
}

/** ControllerRevisions: CONTROLLER REVISION AGE. */
export const controllerRevisionPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column('Controller', 'string', 'Controller of the object'),
    column('Revision', 'string', 'The revision of the state this object represents.'),
    AGE_COLUMN,
  ],
  cells(obj, now) {
    const cr = obj as unknown as ControllerRevision;
    return [cr.metadata?.name ?? '', controllerName(obj), cr.revision, ageSince(cr.metadata?.creationTimestamp, now)];
  },
};
