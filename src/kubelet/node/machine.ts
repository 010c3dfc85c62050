/**
 * Facts about the machine the kubelet runs on, read from the local system only
 * (procfs, sysfs, /etc, statfs): what cAdvisor's MachineInfo gives upstream's kubelet.
 * Nothing here sends traffic; a fact that cannot be read gets a neutral value.
 */
import { readFile, readdir, statfs } from 'node:fs/promises';
import os from 'node:os';

/** What the node object's capacity and nodeInfo are built from. */
export interface MachineInfo {
  cpuCount: number;
  /** Physical memory, bytes (MemTotal). */
  memoryBytes: number;
  /** Size of the filesystem holding the kubelet's data dir, bytes. */
  ephemeralStorageBytes: number;
  /** Inodes of that filesystem. */
  ephemeralStorageInodes: number;
  /** /proc/sys/kernel/pid_max. */
  pidMax: number;
  /** Supported huge page sizes in bytes (from /sys/kernel/mm/hugepages). */
  hugePageSizes: number[];
  machineID: string;
  systemUUID: string;
  bootID: string;
  kernelVersion: string;
  osImage: string;
  /** GOARCH naming: amd64, arm64, … */
  architecture: string;
  operatingSystem: string;
}

const NODE_ARCH_TO_GOARCH: Readonly<Record<string, string>> = {
  x64: 'amd64',
  arm64: 'arm64',
  arm: 'arm',
  ia32: '386',
  ppc64: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
  loong64: 'loong64',
};

/** The Go architecture name for Node's `process.arch` value (unknown names pass through). */
export function goArch(nodeArch: string = process.arch): string {
  return NODE_ARCH_TO_GOARCH[nodeArch] ?? nodeArch;
}

async function readTrimmed(path: string): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch {
    return '';
  }
}

/** MemTotal of a /proc/meminfo text in bytes (0 when absent). */
export function memTotalBytes(meminfo: string): number {
  const match = /^MemTotal:\s+(\d+)\s*kB/m.exec(meminfo);
  return match?.[1] === undefined ? 0 : Number(match[1]) * 1024;
}

/** PRETTY_NAME of an os-release text, unquoted ("Linux" when absent). */
export function prettyName(osRelease: string): string {
  const match = /^PRETTY_NAME=(.*)$/m.exec(osRelease);
  const raw = match?.[1]?.trim() ?? '';
  const unquoted = raw.replace(/^(["'])(.*)\1$/, '$2');
  return unquoted === '' ? 'Linux' : unquoted;
}

async function hugePageSizes(): Promise<number[]> {
  try {
    const entries = await readdir('/sys/kernel/mm/hugepages');
    return entries
      .map((name) => /^hugepages-(\d+)kB$/.exec(name)?.[1])
      .filter((kb): kb is string => kb !== undefined)
      .map((kb) => Number(kb) * 1024)
      .sort((a, b) => a - b);
  } catch {
    return [];
  }
}

async function filesystemSize(dataDir: string): Promise<{ bytes: number; inodes: number }> {
  try {
    const fsStats = await statfs(dataDir);
    return { bytes: fsStats.blocks * fsStats.bsize, inodes: fsStats.files };
  } catch {
    return { bytes: 0, inodes: 0 };
  }
}

/** Reads the machine's facts; `dataDir` is the directory whose filesystem is node ephemeral storage. */
export async function readMachineInfo(dataDir: string): Promise<MachineInfo> {
  const [meminfo, pidMax, machineID, systemUUID, bootID, osRelease, pages, storage] = await Promise.all([
    readTrimmed('/proc/meminfo'),
    readTrimmed('/proc/sys/kernel/pid_max'),
    readTrimmed('/etc/machine-id'),
    readTrimmed('/sys/class/dmi/id/product_uuid'),
    readTrimmed('/proc/sys/kernel/random/boot_id'),
    readTrimmed('/etc/os-release'),
    hugePageSizes(),
    filesystemSize(dataDir),
  ]);
  return {
    cpuCount: os.availableParallelism(),
    memoryBytes: memTotalBytes(meminfo) || os.totalmem(),
    ephemeralStorageBytes: storage.bytes,
    ephemeralStorageInodes: storage.inodes,
    pidMax: Number(pidMax) || 32768,
    hugePageSizes: pages,
    machineID,
    systemUUID,
    bootID,
    kernelVersion: os.release(),
    osImage: prettyName(osRelease),
    architecture: goArch(),
    operatingSystem: 'linux',
  };
}
