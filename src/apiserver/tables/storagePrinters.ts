/**
 * Printers for storage resources: PersistentVolumes, PersistentVolumeClaims and
 * StorageClasses, with upstream's access-mode abbreviations and class lookup.
 */
import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import type { KubeObject } from '../../api/object.js';
import { AGE_COLUMN, NAME_COLUMN, column, wideColumn } from './columns.js';
import { ageSince } from './humanDuration.js';
import { formatQuantity } from './quantities.js';
import type { Printer } from './tableTypes.js';

const ACCESS_MODE_ABBREVIATIONS: readonly [string, string][] = [
  ['ReadWriteOnce', 'RWO'],
  ['ReadOnlyMany', 'ROX'],
  ['ReadWriteMany', 'RWX'],
  ['ReadWriteOncePod', 'RWOP'],
];

/** `RWO,ROX,RWX,RWOP` in that fixed order, for the modes present. */
function accessModes(modes: readonly string[] | undefined): string {
  const present = new Set(modes ?? []);
  return ACCESS_MODE_ABBREVIATIONS.filter(([mode]) => present.has(mode))
    .map(([, short]) => short)
    .join(',');
}

const BETA_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';

/** The storage class: the beta annotation when present, else `spec.storageClassName`. */
function storageClassOf(obj: KubeObject, className: string | undefined): string {
  const annotations = obj.metadata.annotations ?? {};
  return Object.hasOwn(annotations, BETA_CLASS_ANNOTATION) ? (annotations[BETA_CLASS_ANNOTATION] ?? '') : (className ?? '');
}

const isDeleting = (obj: KubeObject): boolean =>
  obj.metadata.deletionTimestamp !== undefined && obj.metadata.deletionTimestamp !== null;

/** PersistentVolumes: CAPACITY ACCESS MODES RECLAIM POLICY STATUS CLAIM STORAGECLASS VOLUMEATTRIBUTESCLASS REASON AGE; wide VOLUMEMODE. */
export const persistentVolumePrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column('Capacity', 'string', 'The storage capacity of the volume.'),
    column('Access Modes', 'string', 'The ways the volume can be mounted.'),
    column('Reclaim Policy', 'string', 'What happens to the volume when its claim is released.'),
    column('Status', 'string', 'The phase of the volume.'),
    column('Claim', 'string', 'The claim bound to the volume, as namespace/name.'),
    column('StorageClass', 'string', 'StorageClass of the pv'),
    column('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pv'),
    column('Reason', 'string', 'Why the volume is in its phase.'),
    AGE_COLUMN,
    wideColumn('VolumeMode', 'Whether the volume is a filesystem or a raw block device.'),
  ],
  cells(obj, now) {
    const pv = obj as PersistentVolume;
    const claim = pv.spec?.claimRef;
    return [
      obj.metadata.name ?? '',
      formatQuantity(pv.spec?.capacity?.storage),
      accessModes(pv.spec?.accessModes),
      pv.spec?.persistentVolumeReclaimPolicy ?? '',
      isDeleting(obj) ? 'Terminating' : (pv.status?.phase ?? ''),
      claim === undefined ? '' : `${claim.namespace ?? ''}/${claim.name ?? ''}`,
      storageClassOf(obj, pv.spec?.storageClassName),
      pv.spec?.volumeAttributesClassName ?? '<unset>',
      pv.status?.reason ?? '',
      ageSince(obj.metadata.creationTimestamp, now),
      pv.spec?.volumeMode ?? '<unset>',
    ];
  },
};

/** PersistentVolumeClaims: STATUS VOLUME CAPACITY ACCESS MODES STORAGECLASS VOLUMEATTRIBUTESCLASS AGE; wide VOLUMEMODE. */
export const persistentVolumeClaimPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column('Status', 'string', 'The phase of the claim.'),
    column('Volume', 'string', 'The volume bound to the claim.'),
    column('Capacity', 'string', 'The capacity of the bound volume.'),
    column('Access Modes', 'string', 'The access modes of the bound volume.'),
    column('StorageClass', 'string', 'StorageClass of the pvc'),
    column('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pvc'),
    AGE_COLUMN,
    wideColumn('VolumeMode', 'Whether the claim asks for a filesystem or a raw block device.'),
  ],
  cells(obj, now) {
    const pvc = obj as PersistentVolumeClaim;
    const bound = (pvc.spec?.volumeName ?? '') !== '';
    return [
      obj.metadata.name ?? '',
      isDeleting(obj) ? 'Terminating' : (pvc.status?.phase ?? ''),
      pvc.spec?.volumeName ?? '',
      bound ? formatQuantity(pvc.status?.capacity?.storage) : '',
      bound ? accessModes(pvc.status?.accessModes) : '',
      storageClassOf(obj, pvc.spec?.storageClassName),
      pvc.spec?.volumeAttributesClassName ?? '<unset>',
      ageSince(obj.metadata.creationTimestamp, now),
      pvc.spec?.volumeMode ?? '<unset>',
    ];
  },
};

const DEFAULT_CLASS_ANNOTATIONS = [
  'storageclass.kubernetes.io/is-default-class',
  'storageclass.beta.kubernetes.io/is-default-class',
];

/** StorageClasses: PROVISIONER RECLAIMPOLICY VOLUMEBINDINGMODE ALLOWVOLUMEEXPANSION AGE; the default class is marked. */
export const storageClassPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column('Provisioner', 'string', 'The volume plugin that provisions volumes of this class.'),
    column('ReclaimPolicy', 'string', 'The reclaim policy of volumes provisioned for this class.'),
    column('VolumeBindingMode', 'string', 'When volumes of this class are bound and provisioned.'),
    column('AllowVolumeExpansion', 'string', 'Whether volumes of this class can be expanded.'),
    AGE_COLUMN,
  ],
  cells(obj, now) {
    const sc = obj as unknown as StorageClass;
    const annotations = obj.metadata.annotations ?? {};
    const isDefault = DEFAULT_CLASS_ANNOTATIONS.some((a) => annotations[a] === 'true');
    return [
      `${obj.metadata.name ?? ''}${isDefault ? ' (default)' : ''}`,
      sc.provisioner ?? '',
      sc.reclaimPolicy ?? 'Delete',
      sc.volumeBindingMode ?? 'Immediate',
      sc.allowVolumeExpansion ?? false,
      ageSince(obj.metadata.creationTimestamp, now),
    ];
  },
};
