/**
 * A pod's quality-of-service class (Guaranteed, Burstable, BestEffort), computed
 * from its containers' cpu and memory requests and limits as upstream's
 * `GetPodQOS` does.
 */
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { tryParseQuantity, type Quantity } from '../../../api/quantity.js';

/** The QoS classes. */
export type QOSClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

const QOS_RESOURCES = ['cpu', 'memory'];

function addPositive(into: Map<string, Quantity>, list: Record<string, unknown> | undefined): Set<string> {
  const found = new Set<string>();
  for (const [name, value] of Object.entries(list ?? {})) {
    if (!QOS_RESOURCES.includes(name)) continue;
    const quantity = tryParseQuantity(String(value));
    if (!quantity || quantity.nanos <= 0n) continue;
    found.add(name);
    const sum = into.get(name);
    into.set(name, sum ? sum.add(quantity) : quantity);
  }
  return found;
}

/** The QoS class of `pod` (init and regular containers all count). */
export function podQOSClass(pod: Pod): QOSClass {
  const requests = new Map<string, Quantity>();
  const limits = new Map<string, Quantity>();
  let guaranteed = true;
  const containers: Container[] = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  for (const container of containers) {
    addPositive(requests, container.resources?.requests);
    const limitsFound = addPositive(limits, container.resources?.limits);
    if (!QOS_RESOURCES.every((r) => limitsFound.has(r))) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [name, request] of requests) {
      const limit = limits.get(name);
      if (!limit || limit.cmp(request) !== 0) guaranteed = false;
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}
