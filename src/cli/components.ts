/**
 * The parts of `k8ts server` that `--disable` can leave out, and the validation of
 * the flag's values.
 */
import { UsageError } from './flags.js';

/** Each component `--disable` accepts, with what it is (shown in `k8ts server --help`). */
export const DISABLEABLE_COMPONENTS = {
  controllers: 'the controller manager (namespace deletion, …)',
  scheduler: 'the kube-scheduler (pods without spec.nodeName stay Pending)',
  kubelet: 'the node: containerd and the kubelet (no Node object; pods stay Pending)',
} as const;

/** The name of a component `--disable` accepts. */
export type DisableableComponent = keyof typeof DISABLEABLE_COMPONENTS;

/**
 * The components named by `--disable` values (each value may list several, comma
 * separated). Throws a UsageError (exit 2) naming the first unknown one and listing
 * the known ones.
 */
export function disabledComponents(values: readonly string[] | undefined): Set<DisableableComponent> {
  const out = new Set<DisableableComponent>();
  for (const name of (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim())) {
    if (!Object.hasOwn(DISABLEABLE_COMPONENTS, name)) {
      const known = Object.keys(DISABLEABLE_COMPONENTS).join(', ');
      throw new UsageError(`k8ts server: unknown component "${name}" for --disable (known components: ${known})`);
    }
    out.add(name as DisableableComponent);
  }
  return out;
}
