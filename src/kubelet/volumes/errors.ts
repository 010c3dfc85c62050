/**
 * Volume failures as the kubelet reports them: one FailedMount event per volume
 * whose set-up failed, with upstream's `MountVolume.SetUp failed for volume "x" : …`.
 */

/** The event reason for a volume that could not be set up. */
export const FAILED_MOUNT_REASON = 'FailedMount';

/** A plugin-level failure (the text after ` : ` in the event). */
export class VolumeSourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VolumeSourceError';
  }
}

/** One volume that failed to set up. */
export interface VolumeSetUpFailure {
  volumeName: string;
  /** Upstream's event message: `MountVolume.SetUp failed for volume "x" : <cause>`. */
  eventMessage: string;
}

/**
 * Thrown by `VolumeManager.setUp` when any volume failed: the pod must not start
 * (it stays ContainerCreating); the kubelet emits one Warning event with reason
 * FAILED_MOUNT_REASON per failure and retries later. Volumes that succeeded stay set up.
 */
export class VolumeMountError extends Error {
  readonly failures: readonly VolumeSetUpFailure[];

  constructor(failures: VolumeSetUpFailure[]) {
    super(failures.map((failure) => failure.eventMessage).join('; '));
    this.name = 'VolumeMountError';
    this.failures = failures;
  }
}

/** The FailedMount event text for `volumeName` failing with `cause`. */
export function setUpFailedMessage(volumeName: string, cause: string): string {
  return `MountVolume.SetUp failed for volume "${volumeName}" : ${cause}`;
}

/** A volumeMount the container cannot have (bad subPath, unknown volume): the container fails with CreateContainerConfigError. */
export class VolumeMountConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VolumeMountConfigError';
  }
}
