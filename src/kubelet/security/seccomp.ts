/**
 * The seccomp profile of a sandbox or container as upstream's `getSeccompProfile`
 * picks it: the container's seccompProfile, else the pod's, else Unconfined (the
 * kubelet's SeccompDefault is off). Localhost profiles are files under the kubelet's
 * seccomp directory.
 */
import { join } from 'node:path';
import type { PodSecurityContext, SecurityContext } from 'kubernetes-types/core/v1.js';
import type { SecurityProfile } from '../../runtime/cri/types.js';

/** The CRI seccomp profile from the container's and pod's security contexts. */
export function seccompProfile(profileRoot: string, pod: PodSecurityContext | undefined, container?: SecurityContext): SecurityProfile {
  const profile = container?.seccompProfile ?? pod?.seccompProfile;
  switch (profile?.type) {
    case 'RuntimeDefault':
      return { profileType: 'RuntimeDefault' };
    case 'Localhost':
      return { profileType: 'Localhost', localhostRef: join(profileRoot, profile.localhostProfile ?? '') };
    default:
      return { profileType: 'Unconfined' };
  }
}
