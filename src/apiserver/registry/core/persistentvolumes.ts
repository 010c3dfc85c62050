/**
 * PersistentVolumes (core/v1): reclaim policy Retain, volumeMode Filesystem,
 * status phase Pending; access modes, capacity and a single volume source required.
 */
import type { PersistentVolume } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../api/object.js';
import { fieldError, type FieldError } from '../../../api/status.js';
import { isDNS1123Subdomain } from '../../../api/validation/names.js';
import type { Strategy } from '../strategy.js';
import { statusSubresource } from '../statusSplit.js';
import { each, oneOf } from './podValidation.js';
import { defaultResourceList, validateResourceList, type ResourceList } from '../../../api/resourceLists.js';

const asPV = (obj: KubeObject): PersistentVolume => obj as unknown as PersistentVolume;

/** Access modes a volume or claim may request. */
export const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];

const PV_SOURCES = [
  'awsElasticBlockStore', 'azureDisk', 'azureFile', 'cephfs', 'cinder', 'csi', 'fc', 'flexVolume', 'flocker',
  'gcePersistentDisk', 'glusterfs', 'hostPath', 'iscsi', 'local', 'nfs', 'photonPersistentDisk', 'portworxVolume',
  'quobyte', 'rbd', 'scaleIO', 'storageos', 'vsphereVolume',
];

/** Validates access modes at `path`: at least one, each supported. */
export function validateAccessModes(modes: readonly string[] | undefined, path: string, detail = ''): FieldError[] {
  if ((modes ?? []).length === 0) return [fieldError.required(path, detail)];
  return (modes ?? []).flatMap((mode) => (ACCESS_MODES.includes(mode) ? [] : [fieldError.notSupported(path, mode, ACCESS_MODES)]));
}

function validatePV(pv: PersistentVolume): FieldError[] {
  const spec = pv.spec;
  if (!spec) return [fieldError.required('spec')];
  const errs = validateAccessModes(spec.accessModes, 'spec.accessModes');
  const capacity = (spec.capacity ?? {}) as ResourceList;
  if (Object.keys(capacity).length === 0) errs.push(fieldError.required('spec.capacity'));
  else if (!('storage' in capacity) || Object.keys(capacity).length > 1) {
    errs.push(fieldError.notSupported('spec.capacity', capacity, ['storage']));
  }
  errs.push(...validateResourceList(capacity, 'spec.capacity'));
  errs.push(...oneOf(spec.persistentVolumeReclaimPolicy, ['Delete', 'Recycle', 'Retain'], 'spec.persistentVolumeReclaimPolicy', false));
  errs.push(...oneOf(spec.volumeMode, ['Block', 'Filesystem'], 'spec.volumeMode', false));
  const record = spec as unknown as Record<string, unknown>;
  const sources = PV_SOURCES.filter((s) => record[s] !== undefined && record[s] !== null);
  if (sources.length === 0) errs.push(fieldError.required('spec', 'must specify a volume type'));
  for (const extra of sources.slice(1)) errs.push(fieldError.forbidden(`spec.${extra}`, 'may not specify more than 1 volume type'));
  if (spec.hostPath && !spec.hostPath.path) errs.push(fieldError.required('spec.hostPath.path'));
  if (spec.local && !spec.local.path) errs.push(fieldError.required('spec.local.path'));
  if (spec.storageClassName) errs.push(...each('spec.storageClassName', spec.storageClassName, isDNS1123Subdomain(spec.storageClassName)));
  return errs;
}

/** The persistentvolumes strategy. */
export const persistentVolumeStrategy: Strategy = {
  ...statusSubresource({ initialStatus: () => ({ phase: 'Pending' }) }),
  applyDefaults(obj) {
    const pv = asPV(obj);
    if (pv.spec) {
      pv.spec.persistentVolumeReclaimPolicy ||= 'Retain';
      pv.spec.volumeMode ||= 'Filesystem';
      defaultResourceList(pv.spec.capacity as ResourceList | undefined);
    }
    if (pv.status && !pv.status.phase) pv.status.phase = 'Pending';
  },
  validate(obj) {
    return validatePV(asPV(obj));
  },
};
