/** The kubelet's volume manager: pod volumes on the host and the CRI mounts into containers. */
export { VolumeManager, type PodVolumes, type VolumeManagerOptions } from './volumeManager.js';
export { FAILED_MOUNT_REASON, VolumeMountConfigError, VolumeMountError, type VolumeSetUpFailure } from './errors.js';
export type { ServiceAccountTokenRequest, VolumeSourceResolver } from './sourceResolver.js';
export { clientSourceResolver } from './clientSourceResolver.js';
export { WatchingSourceResolver, volumeSourceReferences, type VolumeSourceReference } from './watchingSourceResolver.js';
export { DATA_DIR_NAME, writeAtomically, type FileProjection, type Payload } from './atomicWriter.js';
export type { NodeFacts } from './downwardApiPayload.js';
