/**
 * The apiserver's Prometheus metrics (prom-client): requests by verb, resource and
 * code, request latency, stored object counts, open watches, and WebSocket streaming
 * requests translated (exec, attach) or tunnelled (port-forward) by the API server.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The metric set of one API server. */
export class ApiMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'apiserver_request_total',
    help: 'Counter of apiserver requests broken out for each verb, group, version, resource, subresource and HTTP response code.',
    labelNames: ['verb', 'group', 'version', 'resource', 'subresource', 'code'] as const,
    registers: [this.registry],
  });
  readonly duration = new Histogram({
    name: 'apiserver_request_duration_seconds',
    help: 'Response latency distribution in seconds for each verb, group, version, resource and subresource.',
    labelNames: ['verb', 'group', 'version', 'resource', 'subresource'] as const,
    buckets: [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60],
    registers: [this.registry],
  });
  readonly watches = new Gauge({
    name: 'apiserver_longrunning_requests',
    help: 'Gauge of all active long-running apiserver requests broken out by verb, group, version and resource.',
    labelNames: ['verb', 'group', 'version', 'resource'] as const,
    registers: [this.registry],
  });
  readonly streamTranslatorRequests = new Counter({
    name: 'apiserver_stream_translator_requests_total',
    help: 'WebSocket exec and attach requests the API server translated to SPDY toward the kubelet, by outcome code.',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  readonly streamTunnelRequests = new Counter({
    name: 'apiserver_stream_tunnel_requests_total',
    help: 'WebSocket port-forward requests whose SPDY the API server carried to the kubelet, by outcome code.',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  readonly storedObjects = new Gauge({
    name: 'apiserver_storage_objects',
    help: 'Number of stored objects at the time of last check split by kind.',
    labelNames: ['resource'] as const,
    registers: [this.registry],
  });

  readonly #extra: Registry[] = [];

  /** Adds another component's registry (the scheduler's) to what `render` exposes. */
  addRegistry(registry: Registry): void {
    this.#extra.push(registry);
  }

  /** The text exposition of every metric (the API server's and the added registries'). */
  async render(): Promise<{ contentType: string; text: string }> {
    const merged = this.#extra.length === 0 ? this.registry : Registry.merge([this.registry, ...this.#extra]);
    return { contentType: this.registry.contentType, text: await merged.metrics() };
  }
}
