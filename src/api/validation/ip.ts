/**
 * IP address and CIDR checks with upstream's messages (used by Services,
 * Endpoints, EndpointSlices, Pod status).
 */
import { isIP } from 'node:net';

/** Checks an IPv4 or IPv6 address literal. */
export function isValidIP(value: string): string[] {
  return isIP(value) === 0 ? ['must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'] : [];
}

/** Checks an IPv4 address literal. */
export function isValidIPv4Address(value: string): string[] {
  return isIP(value) === 4 ? [] : ['must be a valid IPv4 address'];
}

/** Checks an IPv6 address literal. */
export function isValidIPv6Address(value: string): string[] {
  return isIP(value) === 6 ? [] : ['must be a valid IPv6 address'];
}

/** The family of an address literal: `IPv4`, `IPv6` or undefined when not an address. */
export function ipFamilyOf(value: string): 'IPv4' | 'IPv6' | undefined {
  const family = isIP(value);
  return family === 4 ? 'IPv4' : family === 6 ? 'IPv6' : undefined;
}

/** Checks a CIDR (`10.0.0.0/16`, `fd00::/64`). */
export function isValidCIDR(value: string): string[] {
  const slash = value.indexOf('/');
  const bad = ['must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'];
  if (slash < 0) return bad;
  const family = isIP(value.slice(0, slash));
  const bits = value.slice(slash + 1);
  if (family === 0 || !/^[0-9]+$/.test(bits)) return bad;
  return Number(bits) <= (family === 4 ? 32 : 128) ? [] : bad;
}
