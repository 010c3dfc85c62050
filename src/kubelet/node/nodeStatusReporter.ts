/**
 * Reporting the node's status as upstream's kubelet does: each pass reads the Node,
 * computes the status it should have, and sends a strategic merge patch to
 * nodes/status only when something other than heartbeat times changed, or when the
 * last report is older than the report frequency (5 min by default).
 */
import { isDeepStrictEqual } from 'node:util';
import type { NodeStatus } from 'kubernetes-types/core/v1.js';
import { tryParseQuantity } from '../../api/quantity.js';
import type { Clock, RestClient } from '../../client/index.js';
import { conditionsChanged } from './conditions.js';
import type { NodeObject } from './nodeObject.js';
import { NODES } from './registration.js';

/** Upstream's `--node-status-report-frequency` default. */
export const DEFAULT_STATUS_REPORT_FREQUENCY_MS = 5 * 60_000;

/** What a reporter needs. */
export interface NodeStatusReporterOptions {
  client: RestClient;
  clock: Clock;
  nodeName: string;
  /** The status to report, given the stored one (conditions carry transition times over). */
  desiredStatus(stored: NodeStatus | undefined): Promise<NodeStatus>;
  reportFrequencyMs?: number;
}

/** What one pass did. */
export type StatusPassOutcome = 'patched' | 'unchanged';

const RESOURCE_FIELDS = ['capacity', 'allocatable'] as const;
const OTHER_FIELDS = ['addresses', 'daemonEndpoints', 'nodeInfo'] as const;

/** True when both lists hold the same resources with equal values, however written (`1Gi` = `1073741824`). */
function sameResources(a: Readonly<Record<string, string>> | undefined, b: Readonly<Record<string, string>> | undefined): boolean {
  const left = Object.entries(a ?? {});
  if (left.length !== Object.keys(b ?? {}).length) return false;
  return left.every(([name, value]) => {
    const other = b?.[name];
    if (other === undefined) return false;
    const [x, y] = [tryParseQuantity(value), tryParseQuantity(other)];
    return x !== undefined && y !== undefined ? x.cmp(y) === 0 : value === other;
  });
}

/** True when `next` differs from `stored` in what the kubelet reports (heartbeats aside, quantities by value). */
export function statusChanged(stored: NodeStatus | undefined, next: NodeStatus): boolean {
  if (conditionsChanged(stored?.conditions, next.conditions)) return true;
  if (RESOURCE_FIELDS.some((field) => next[field] !== undefined && !sameResources(stored?.[field], next[field]))) return true;
  return OTHER_FIELDS.some((field) => next[field] !== undefined && !isDeepStrictEqual(stored?.[field], next[field]));
}

/** One node's status reporter; `sync` is one pass. */
export class NodeStatusReporter {
  readonly #options: NodeStatusReporterOptions;
  #lastReport: number | undefined;

  constructor(options: NodeStatusReporterOptions) {
    this.#options = options;
  }

  /** Forgets the last report, so the next pass patches whatever it finds. */
  reset(): void {
    this.#lastReport = undefined;
  }

  /**
   * One pass. Throws the API error when the Node cannot be read or patched (NotFound
   * when it was deleted); the next pass then reads the latest version.
   */
  async sync(signal?: AbortSignal): Promise<StatusPassOutcome> {
    const { client, clock, nodeName } = this.#options;
    const node = await client.get<NodeObject>(NODES, nodeName, { signal });
    const status = await this.#options.desiredStatus(node.status);
    const now = clock.now();
    const due = this.#lastReport === undefined || now - this.#lastReport >= (this.#options.reportFrequencyMs ?? DEFAULT_STATUS_REPORT_FREQUENCY_MS);
    if (!due && !statusChanged(node.status, status)) return 'unchanged';
    await client.patch(NODES, nodeName, 'strategic', { status }, { signal, subresource: 'status', fieldManager: 'kubelet' });
    this.#lastReport = now;
    return 'patched';
  }
}
