/**
 * API discovery through the REST client, as client-go's discovery client does it with
 * the legacy documents: `/api` and `/apis` name the group-versions, one resource list
 * per group-version names the resources. Group-versions whose list cannot be read are
 * reported, not fatal: callers work with what was discovered.
 */
import type { RestClient } from './restClient.js';

/** One resource of a group-version (upstream `metav1.APIResource`); subresources have a `/` in `name`. */
export interface DiscoveredResource {
  name: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
}

/** The resources of one group-version (upstream `metav1.APIResourceList`). */
export interface DiscoveredResourceList {
  /** `v1` for the core group, `apps/v1` otherwise, as the server spells it. */
  groupVersion: string;
  resources: DiscoveredResource[];
}

/** What discovery found, and the group-versions it could not read. */
export interface ServerResources {
  lists: DiscoveredResourceList[];
  /** Set when some group-versions failed; `lists` then holds the rest. */
  failure?: GroupDiscoveryFailedError;
}

/** Some group-versions could not be discovered (upstream `ErrGroupDiscoveryFailed`). */
export class GroupDiscoveryFailedError extends Error {
  /** The failed group-versions (`apps/v1`, `v1`) and why each failed. */
  readonly groups: ReadonlyMap<string, Error>;

  constructor(groups: ReadonlyMap<string, Error>) {
    const parts = [...groups].map(([gv, err]) => `${gv}: ${err.message}`).sort();
    super(`unable to retrieve the complete list of server APIs: ${parts.join(', ')}`);
    this.name = 'GroupDiscoveryFailedError';
    this.groups = groups;
  }
}

/** A group and version; the core group is `''`. */
export interface GroupVersion {
  group: string;
  version: string;
}

/** Parses `v1` or `apps/v1` (upstream `schema.ParseGroupVersion`, same error text). */
export function parseGroupVersion(groupVersion: string): GroupVersion {
  if (groupVersion === '' || groupVersion === '/') return { group: '', version: '' };
  const parts = groupVersion.split('/');
  if (parts.length === 1) return { group: '', version: groupVersion };
  if (parts.length === 2) return { group: parts[0]!, version: parts[1]! };
  throw new Error(`unexpected GroupVersion string: ${groupVersion}`);
}

interface GroupDocument {
  name: string;
  versions: { groupVersion: string; version: string }[];
  preferredVersion?: { version: string };
}

/**
 * Every top-level resource (subresources left out) in the server's preferred version
 * of its group, as upstream `ServerPreferredResources`: a resource served in several
 * versions of a group appears once, in the preferred version if that serves it, else
 * in the first version that does. Throws when `/api` or `/apis` cannot be read.
 */
export async function serverPreferredResources(client: RestClient, signal?: AbortSignal): Promise<ServerResources> {
  const [core, apis] = await Promise.all([
    client.getPath<{ versions?: string[] }>('/api', { signal }),
    client.getPath<{ groups?: GroupDocument[] }>('/apis', { signal }),
  ]);
  const groups: GroupDocument[] = [
    { name: '', versions: (core.versions ?? []).map((v) => ({ groupVersion: v, version: v })), preferredVersion: { version: core.versions?.[0] ?? '' } },
    ...(apis.groups ?? []),
  ];
  const failed = new Map<string, Error>();
  const fetched = await Promise.all(
    groups.flatMap((g) =>
      g.versions.map(async (v) => {
        const path = g.name === '' ? `/api/${v.version}` : `/apis/${g.name}/${v.version}`;
        try {
          return await client.getPath<{ resources?: DiscoveredResource[] }>(path, { signal });
        } catch (err) {
          failed.set(v.groupVersion, err instanceof Error ? err : new Error(String(err)));
          return undefined;
        }
      }),
    ),
  );
  const lists = preferred(groups, fetched);
  return failed.size === 0 ? { lists } : { lists, failure: new GroupDiscoveryFailedError(failed) };
}

/** Picks each group's resources by version preference; `fetched` follows the order of `groups`' versions. */
function preferred(groups: readonly GroupDocument[], fetched: readonly ({ resources?: DiscoveredResource[] } | undefined)[]): DiscoveredResourceList[] {
  const chosen = new Map<string, { list: DiscoveredResourceList; resource: DiscoveredResource }>();
  const lists: DiscoveredResourceList[] = [];
  let index = 0;
  for (const group of groups) {
    for (const version of group.versions) {
      const document = fetched[index++];
      if (document === undefined) continue;
      const list: DiscoveredResourceList = { groupVersion: version.groupVersion, resources: [] };
      lists.push(list);
      for (const resource of document.resources ?? []) {
        if (resource.name.includes('/')) continue;
        const key = `${group.name}/${resource.name}`;
        if (chosen.has(key) && version.version !== group.preferredVersion?.version) continue;
        chosen.set(key, { list, resource });
      }
    }
  }
  for (const { list, resource } of chosen.values()) list.resources.push(resource);
  return lists;
}

/** Only the namespaced resources of `lists` (upstream `ServerPreferredNamespacedResources`). */
export function namespacedOnly(lists: readonly DiscoveredResourceList[]): DiscoveredResourceList[] {
  return lists.map((l) => ({ groupVersion: l.groupVersion, resources: l.resources.filter((r) => r.namespaced) }));
}
