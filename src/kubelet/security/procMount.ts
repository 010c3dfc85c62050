/**
 * The /proc paths a container sees masked or read-only, per its procMount
 * (upstream's `ConvertToRuntimeMaskedPaths` / `ConvertToRuntimeReadonlyPaths`):
 * the kubelet's default lists for Default, none for Unmasked.
 */
import type { SecurityContext } from 'kubernetes-types/core/v1.js';

const DEFAULT_MASKED_PATHS: readonly string[] = [
  '/proc/asound', '/proc/acpi', '/proc/kcore', '/proc/keys', '/proc/latency_stats', '/proc/timer_list',
  '/proc/timer_stats', '/proc/sched_debug', '/proc/scsi', '/sys/firmware', '/sys/devices/virtual/powercap',
];

const DEFAULT_READONLY_PATHS: readonly string[] = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

/** Masked and read-only paths of a container with security context `context`. */
export function procMountPaths(context: SecurityContext | undefined): { maskedPaths: string[]; readonlyPaths: string[] } {
  if (context?.procMount === 'Unmasked') return { maskedPaths: [], readonlyPaths: [] };
  return { maskedPaths: [...DEFAULT_MASKED_PATHS], readonlyPaths: [...DEFAULT_READONLY_PATHS] };
}
