/**
 * Small syntactic checks used across API types: C identifiers, environment
 * variable names, ConfigMap/Secret keys, port names and numbers, percentages,
 * HTTP header names. Each returns upstream's list of problems (empty = valid).
 */
import { emptyError, inclusiveRangeError, maxLenError, regexError } from './messages.js';
import { DNS1123_SUBDOMAIN_MAX_LENGTH } from './names.js';

const C_IDENTIFIER_FMT = '[A-Za-z_][A-Za-z0-9_]*';
const C_IDENTIFIER_ERR =
  "a valid C identifier must start with alphabetic character or '_', followed by a string of alphanumeric characters or '_'";
const cIdentifier = new RegExp(`^${C_IDENTIFIER_FMT}$`);

/** Checks a C identifier (`MY_NAME`). */
export function isCIdentifier(value: string): string[] {
  if (cIdentifier.test(value)) return [];
  return [regexError(C_IDENTIFIER_ERR, C_IDENTIFIER_FMT, 'my_name', 'MY_NAME', 'MyName')];
}

function chdirPrefixErrors(value: string): string[] {
  if (value === '.') return ["must not be '.'"];
  if (value === '..') return ["must not be '..'"];
  if (value.startsWith('..')) return ["must not start with '..'"];
  return [];
}

const ENV_VAR_FMT = '[-._a-zA-Z][-._a-zA-Z0-9]*';
const ENV_VAR_ERR =
  "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit";
const envVarName = new RegExp(`^${ENV_VAR_FMT}$`);

/** The strict environment variable name rule (before RelaxedEnvironmentVariableValidation). */
export function isEnvVarName(value: string): string[] {
  const errs: string[] = [];
  if (!envVarName.test(value)) errs.push(regexError(ENV_VAR_ERR, ENV_VAR_FMT, 'my.env-name', 'MY_ENV.NAME', 'MyEnvName1'));
  errs.push(...chdirPrefixErrors(value));
  return errs;
}

/**
 * The relaxed rule Kubernetes 1.32 applies by default (RelaxedEnvironmentVariableValidation
 * is beta and on): any printable ASCII except '='.
 */
export function isRelaxedEnvVarName(value: string): string[] {
  const errs: string[] = [];
  if (value.length === 0) errs.push(`environment variable name ${emptyError()}`);
  for (const ch of value) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x20 || code > 0x7e || ch === '=') {
      errs.push("a valid environment variable name must consist only of printable ASCII characters other than '='");
      break;
    }
  }
  return errs;
}

const CONFIG_KEY_FMT = '[-._a-zA-Z0-9]+';
const CONFIG_KEY_ERR = "a valid config key must consist of alphanumeric characters, '-', '_' or '.'";
const configKey = new RegExp(`^${CONFIG_KEY_FMT}$`);

/** Checks a ConfigMap or Secret data key (`key.name`). */
export function isConfigMapKey(value: string): string[] {
  const errs: string[] = [];
  if (value.length > DNS1123_SUBDOMAIN_MAX_LENGTH) errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
  if (!configKey.test(value)) errs.push(regexError(CONFIG_KEY_ERR, CONFIG_KEY_FMT, 'key.name', 'KEY_NAME', 'key-name'));
  errs.push(...chdirPrefixErrors(value));
  return errs;
}

/** Checks a port number: 1–65535. */
export function isValidPortNum(port: number): string[] {
  return Number.isInteger(port) && port >= 1 && port <= 65535 ? [] : [inclusiveRangeError(1, 65535)];
}

/** Checks that an integer lies in [min, max]. */
export function isInRange(value: number, min: number, max: number): string[] {
  return value >= min && value <= max ? [] : [inclusiveRangeError(min, max)];
}

/** Checks an IANA_SVC_NAME port name: ≤ 15 of [-a-z0-9], ≥ 1 letter, no '--', no edge '-'. */
export function isValidPortName(port: string): string[] {
  const errs: string[] = [];
  if (port.length > 15) errs.push(maxLenError(15));
  if (!/^[-a-z0-9]+$/.test(port)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(port)) errs.push('must contain at least one letter (a-z)');
  if (port.includes('--')) errs.push('must not contain consecutive hyphens');
  if (port.length > 0 && (port.startsWith('-') || port.endsWith('-'))) errs.push('must not begin or end with a hyphen');
  return errs;
}

const PERCENT_FMT = '[0-9]+%';
const PERCENT_ERR = "a valid percent string must be a numeric string followed by an ending '%'";

/** Checks a percentage string (`25%`). */
export function isValidPercent(value: string): string[] {
  return /^[0-9]+%$/.test(value) ? [] : [regexError(PERCENT_ERR, PERCENT_FMT, '1%', '93%')];
}

const HEADER_FMT = '[-A-Za-z0-9]+';
const HEADER_ERR = "a valid HTTP header must consist of alphanumeric characters or '-'";

/** Checks an HTTP header name (`X-Header-Name`). */
export function isHTTPHeaderName(value: string): string[] {
  return /^[-A-Za-z0-9]+$/.test(value) ? [] : [regexError(HEADER_ERR, HEADER_FMT, 'X-Header-Name')];
}

/** Unix user and group ids: 0 – 2^32-1. */
export function isValidUserOrGroupID(id: number): string[] {
  return id >= 0 && id <= 0xffffffff ? [] : [inclusiveRangeError(0, 0xffffffff)];
}
