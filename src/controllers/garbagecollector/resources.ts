/**
 * Which resources the garbage collector watches, and how an owner reference's
 * apiVersion and kind map to a resource: from discovery, as upstream's
 * `GetDeletableResources` (every resource that can be listed, watched and deleted)
 * minus the resources it ignores by default (events).
 */
import { parseGroupVersion } from '../../client/index.js';
import type { DiscoveredResourceList, ResourceTarget } from '../../client/index.js';

/** A resource the collector watches. */
export interface MonitoredResource {
  target: ResourceTarget;
  kind: string;
  namespaced: boolean;
}

/** Resources upstream's garbage collector leaves alone (`DefaultIgnoredResources`). */
const IGNORED = new Set(['/events', 'events.k8s.io/events']);

const NEEDED_VERBS = ['list', 'watch', 'delete'];

/** The resources of `lists` the collector watches, keyed `group/version/resource`. */
export function monitoredResources(lists: readonly DiscoveredResourceList[]): Map<string, MonitoredResource> {
  const found = new Map<string, MonitoredResource>();
  for (const list of lists) {
    let gv;
    try {
      gv = parseGroupVersion(list.groupVersion);
    } catch {
      continue;
    }
    for (const r of list.resources) {
      if (r.name.includes('/') || IGNORED.has(`${gv.group}/${r.name}`)) continue;
      if (!NEEDED_VERBS.every((v) => r.verbs.includes(v))) continue;
      const target = { group: gv.group, version: gv.version, resource: r.name };
      found.set(`${gv.group}/${gv.version}/${r.name}`, { target, kind: r.kind, namespaced: r.namespaced });
    }
  }
  return found;
}

/** Maps `apiVersion` + `kind` to a resource (upstream's RESTMapper, over discovery). */
export class KindMapper {
  readonly #byKind = new Map<string, MonitoredResource>();

  /** Learns the kinds of `resources` (later calls add to and override earlier ones). */
  learn(resources: Iterable<MonitoredResource>): void {
    for (const r of resources) {
      const apiVersion = r.target.group === '' ? r.target.version : `${r.target.group}/${r.target.version}`;
      this.#byKind.set(`${apiVersion}|${r.kind}`, r);
    }
  }

  /** The resource serving `kind` in `apiVersion`, if discovery knows one. */
  resourceFor(apiVersion: string, kind: string): MonitoredResource | undefined {
    return this.#byKind.get(`${apiVersion}|${kind}`);
  }
}
