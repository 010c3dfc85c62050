/**
 * `k8ts image import FILE.tar` and `k8ts image ls`: the images of the containerd of a
 * data dir, as CRI sees them.
 */
import { resolve } from 'node:path';
import { containerdPaths } from '../runtime/containerd/paths.js';
import { waitForSocket } from '../runtime/containerd/process.js';
import { CriClient } from '../runtime/cri/client.js';
import { importImageArchive } from '../runtime/images/importImage.js';
import type { FlagSpec } from './flags.js';
import { parseFlags, usage, UsageError } from './flags.js';
import { defaultDataDir } from './server.js';

const DATA_DIR_FLAG = { type: 'string', help: 'The data directory whose containerd to use', default: defaultDataDir() } as const satisfies FlagSpec;

/** Flags of `k8ts image ls`. */
export const IMAGE_LS_FLAGS = { 'data-dir': DATA_DIR_FLAG } as const satisfies Record<string, FlagSpec>;
/** Flags of `k8ts image import`. */
export const IMAGE_IMPORT_FLAGS = {
  'data-dir': DATA_DIR_FLAG,
  name: { type: 'string', help: 'Image name for an archive whose images carry no name (OCI layouts)' },
} as const satisfies Record<string, FlagSpec>;

const SUBCOMMANDS = 'Subcommands:\n  import FILE.tar   Import an image archive (docker save or OCI layout)\n  ls                List images\n';

/** The socket of the data dir's containerd, or an error telling the user it is not running. */
async function runningSocket(dataDir: string): Promise<string> {
  const { socket } = containerdPaths(resolve(dataDir));
  try {
    await waitForSocket(socket, 1_000);
  } catch {
    throw new Error(`the containerd of data dir ${resolve(dataDir)} is not running (no socket at ${socket})`);
  }
  return socket;
}

function humanSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) { value /= 1000; unit++; }
  return `${unit === 0 ? value : value.toFixed(1)}${units[unit]}`;
}

async function imageLs(argv: readonly string[]): Promise<number> {
  const flags = parseFlags('image ls', IMAGE_LS_FLAGS, argv);
  if (flags === 'help') {
    process.stdout.write(usage('k8ts image ls [flags]', 'List the images of the data dir\'s containerd.', IMAGE_LS_FLAGS));
    return 0;
  }
  const cri = new CriClient(await runningSocket(flags['data-dir']));
  try {
    const rows = [['IMAGE', 'IMAGE ID', 'SIZE']];
    for (const image of await cri.listImages()) {
      const id = image.id.replace(/^sha256:/, '').slice(0, 13);
      for (const tag of image.repoTags.length > 0 ? image.repoTags : ['<none>']) rows.push([tag, id, humanSize(Number(image.size))]);
    }
    const widths = [0, 1].map((column) => Math.max(...rows.map((row) => row[column]?.length ?? 0)));
    for (const row of rows) process.stdout.write(`${row.map((cell, i) => (i < 2 ? cell.padEnd((widths[i] ?? 0) + 3) : cell)).join('')}\n`);
    return 0;
  } finally {
    cri.close();
  }
}

async function imageImport(argv: readonly string[]): Promise<number> {
  const [file, ...rest] = argv;
  if (file === '--help' || file === '-h') {
    process.stdout.write(usage('k8ts image import FILE.tar [flags]', 'Import an image archive into the data dir\'s containerd.', IMAGE_IMPORT_FLAGS));
    return 0;
  }
  if (file === undefined || file.startsWith('-')) throw new UsageError('k8ts image import: missing FILE.tar (usage: k8ts image import FILE.tar [--name NAME] [--data-dir DIR])');
  const flags = parseFlags('image import', IMAGE_IMPORT_FLAGS, rest);
  if (flags === 'help') return imageImport(['--help']);
  const output = await importImageArchive(await runningSocket(flags['data-dir']), resolve(file), flags.name);
  process.stdout.write(output);
  return 0;
}

/** Runs `k8ts image <subcommand>`; resolves to the exit code. */
export async function runImage(argv: readonly string[]): Promise<number> {
  const [subcommand, ...rest] = argv;
  if (subcommand === 'ls') return imageLs(rest);
  if (subcommand === 'import') return imageImport(rest);
  if (subcommand === undefined || subcommand === '--help' || subcommand === '-h') {
    process.stdout.write(`Usage: k8ts image <subcommand> [flags]\n\n${SUBCOMMANDS}`);
    return 0;
  }
  throw new UsageError(`k8ts image: unknown subcommand "${subcommand}"\n\n${SUBCOMMANDS}`);
}
