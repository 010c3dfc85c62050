/**
 * The DefaultTolerationSeconds admission plugin on pod CREATE, as upstream's: a pod
 * that does not already tolerate the node.kubernetes.io/not-ready or
 * node.kubernetes.io/unreachable NoExecute taint (a toleration with that key or no
 * key, and effect NoExecute or none) gets one for it with tolerationSeconds 300 (or
 * the configured value), so it is evicted 5 minutes after its node fails.
 */
import type { Pod, Toleration } from 'kubernetes-types/core/v1.js';

/** Upstream's `--default-not-ready-toleration-seconds` and `--default-unreachable-toleration-seconds` default. */
export const DEFAULT_TOLERATION_SECONDS = 300;

/** The plugin's settings. */
export interface DefaultTolerationSecondsOptions {
  notReadySeconds?: number;
  unreachableSeconds?: number;
}

const NOT_READY = 'node.kubernetes.io/not-ready';
const UNREACHABLE = 'node.kubernetes.io/unreachable';

function toleratesNoExecute(tolerations: readonly Toleration[], key: string): boolean {
  return tolerations.some((t) => (t.key === key || !t.key) && (t.effect === 'NoExecute' || !t.effect));
}

/** Adds the missing default tolerations to `pod` (in place). */
export function admitDefaultTolerationSeconds(pod: Pod, options: DefaultTolerationSecondsOptions = {}): void {
  const spec = pod.spec;
  if (spec === undefined) return;
  const tolerations = spec.tolerations ?? [];
  const added: Toleration[] = [];
  if (!toleratesNoExecute(tolerations, NOT_READY)) {
    added.push({ key: NOT_READY, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: options.notReadySeconds ?? DEFAULT_TOLERATION_SECONDS });
  }
  if (!toleratesNoExecute(tolerations, UNREACHABLE)) {
    added.push({ key: UNREACHABLE, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: options.unreachableSeconds ?? DEFAULT_TOLERATION_SECONDS });
  }
  if (added.length > 0) spec.tolerations = [...tolerations, ...added];
}
