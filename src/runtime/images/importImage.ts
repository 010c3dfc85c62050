/**
 * Imports an image archive (OCI layout or docker save tar) into the `k8s.io` namespace
 * of a containerd with its `ctr` tool, where CRI sees it.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The containerd namespace CRI uses. */
export const CRI_NAMESPACE = 'k8s.io';

/**
 * Imports `archive` into the containerd at `socket` and unpacks it. With `indexName`
 * the archive's index is kept as an image of that name (needed for archives whose
 * manifests carry no name); images named inside the archive are created too.
 */
export async function importImageArchive(socket: string, archive: string, indexName?: string): Promise<string> {
  const args = ['--address', socket, '-n', CRI_NAMESPACE, 'images', 'import', ...(indexName !== undefined ? ['--index-name', indexName] : []), archive];
  const { stdout } = await run('ctr', args, { maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}
