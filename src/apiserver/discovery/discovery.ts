/**
 * API discovery documents, all derived from the resource catalog: legacy
 * (/api, /apis, /apis/{group}, per group-version resource lists) and aggregated
 * (apidiscovery.k8s.io v2 / v2beta1, which kubectl 1.30+ asks for).
 */
import type { ResourceInfo } from '../../api/resources.js';
import { RESOURCES, apiVersionOf } from '../../api/resources.js';

/** A group with its served versions, preferred first. */
interface GroupVersions {
  name: string;
  versions: string[];
}

function groups(): GroupVersions[] {
  const out: GroupVersions[] = [];
  for (const r of RESOURCES) {
    if (r.group === '') continue;
    let g = out.find((x) => x.name === r.group);
    if (g === undefined) {
      g = { name: r.group, versions: [] };
      out.push(g);
    }
    if (!g.versions.includes(r.version)) g.versions.push(r.version);
  }
  return out;
}

function groupDocument(g: GroupVersions): Record<string, unknown> {
  const versions = g.versions.map((version) => ({ groupVersion: `${g.name}/${version}`, version }));
  return { name: g.name, versions, preferredVersion: versions[0] };
}

/** GET /api. */
export function apiVersions(serverAddress: string): Record<string, unknown> {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

/** GET /apis. */
export function apiGroupList(): Record<string, unknown> {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: groups().map(groupDocument) };
}

/** GET /apis/{group}, or undefined for an unknown group. */
export function apiGroup(name: string): Record<string, unknown> | undefined {
  const g = groups().find((x) => x.name === name);
  return g === undefined ? undefined : { kind: 'APIGroup', apiVersion: 'v1', ...groupDocument(g) };
}

function resourcesOf(group: string, version: string): ResourceInfo[] {
  return RESOURCES.filter((r) => r.group === group && r.version === version);
}

/** GET /api/v1 or /apis/{group}/{version}, or undefined if not served. */
export function apiResourceList(group: string, version: string): Record<string, unknown> | undefined {
  const list = resourcesOf(group, version);
  if (list.length === 0) return undefined;
  const resources: Record<string, unknown>[] = [];
  for (const r of list) {
    const entry: Record<string, unknown> = {
      name: r.resource,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: r.verbs,
    };
    if (r.shortNames.length > 0) entry.shortNames = r.shortNames;
    if (r.categories.length > 0) entry.categories = r.categories;
    resources.push(entry);
    for (const sub of r.subresources) {
      const subEntry: Record<string, unknown> = {
        name: `${r.resource}/${sub.name}`,
        singularName: '',
        namespaced: r.namespaced,
        kind: sub.kind,
        verbs: sub.verbs,
      };
      if (sub.group !== undefined) subEntry.group = sub.group;
      if (sub.version !== undefined) subEntry.version = sub.version;
      resources.push(subEntry);
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf(group, version), resources };
}

function aggregatedResource(r: ResourceInfo): Record<string, unknown> {
  const entry: Record<string, unknown> = {
    resource: r.resource,
    responseKind: { group: r.group, version: r.version, kind: r.kind },
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: r.verbs,
  };
  if (r.shortNames.length > 0) entry.shortNames = r.shortNames;
  if (r.categories.length > 0) entry.categories = r.categories;
  if (r.subresources.length > 0) {
    entry.subresources = r.subresources.map((sub) => ({
      subresource: sub.name,
      responseKind: { group: sub.group ?? r.group, version: sub.version ?? r.version, kind: sub.kind },
      verbs: sub.verbs,
    }));
  }
  return entry;
}

/** The Content-Type of an aggregated discovery response of `version`. */
export function aggregatedContentType(version: 'v2' | 'v2beta1'): string {
  return `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;
}

/** Aggregated discovery of /api (legacy: the core group) or /apis (all named groups). */
export function aggregatedDiscovery(prefix: 'api' | 'apis', version: 'v2' | 'v2beta1'): Record<string, unknown> {
  const names = prefix === 'api' ? [{ name: '', versions: ['v1'] }] : groups();
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: `apidiscovery.k8s.io/${version}`,
    metadata: {},
    items: names.map((g) => ({
      metadata: { name: g.name, creationTimestamp: null },
      versions: g.versions.map((v) => ({
        version: v,
        resources: resourcesOf(g.name, v).map(aggregatedResource),
        freshness: 'Current',
      })),
    })),
  };
}
