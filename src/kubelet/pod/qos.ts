/** A pod's quality-of-service class, computed as upstream's `GetPodQOS`. */
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { Quantity, parseQuantity } from '../../api/quantity.js';

/** The three QoS classes of `status.qosClass`. */
export type QOSClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

const QOS_RESOURCES = ['cpu', 'memory'] as const;
type QOSResource = (typeof QOS_RESOURCES)[number];

function positive(raw: string | number | undefined): Quantity | undefined {
  if (raw === undefined) return undefined;
  const q = parseQuantity(String(raw));
  return q.nanos > 0n ? q : undefined;
}

/**
 * The QoS class of a pod from its containers and init containers:
 * BestEffort when no container sets a positive cpu/memory request or limit;
 * Guaranteed when every container limits both cpu and memory and the summed
 * requests equal the summed limits; Burstable otherwise. A request missing where a
 * limit is set counts as equal to the limit (the API's defaulting), so the result
 * is the same for defaulted and undefaulted specs.
 */
export function podQOSClass(pod: Pod): QOSClass {
  const requests = new Map<QOSResource, Quantity>();
  const limits = new Map<QOSResource, Quantity>();
  let guaranteed = true;
  const all: Container[] = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  for (const container of all) {
    const limitsFound = new Set<QOSResource>();
    for (const name of QOS_RESOURCES) {
      const limit = positive(container.resources?.limits?.[name]);
      const request = positive(container.resources?.requests?.[name] ?? container.resources?.limits?.[name]);
      if (request !== undefined) requests.set(name, (requests.get(name) ?? new Quantity(0n)).add(request));
      if (limit !== undefined) {
        limitsFound.add(name);
        limits.set(name, (limits.get(name) ?? new Quantity(0n)).add(limit));
      }
    }
    if (limitsFound.size !== QOS_RESOURCES.length) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [name, request] of requests) {
      const limit = limits.get(name);
      if (limit === undefined || limit.cmp(request) !== 0) {
        guaranteed = false;
        break;
      }
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}
