/**
 * EndpointSlices (discovery.k8s.io/v1): ports default to TCP; addressType is
 * required and immutable; addresses match it; ports are valid.
 */
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import type { KubeObject } from '../../../api/object.js';
import { fieldError, type FieldError } from '../../../api/status.js';
import { isValidPortNum } from '../../../api/validation/identifiers.js';
import { isValidIPv4Address, isValidIPv6Address } from '../../../api/validation/ip.js';
import { isDNS1123Label, isDNS1123Subdomain } from '../../../api/validation/names.js';
import { each, oneOf } from '../core/podValidation.js';
import { validateImmutableField } from '../objectMeta.js';
import type { Strategy } from '../strategy.js';

const asSlice = (obj: KubeObject): EndpointSlice => obj as unknown as EndpointSlice;

const ADDRESS_CHECKS: Readonly<Record<string, (value: string) => string[]>> = {
  IPv4: isValidIPv4Address,
  IPv6: isValidIPv6Address,
  FQDN: isDNS1123Subdomain,
};

function validateSlice(slice: EndpointSlice): FieldError[] {
  const errs = oneOf(slice.addressType, ['FQDN', 'IPv4', 'IPv6'], 'addressType');
  const check = ADDRESS_CHECKS[slice.addressType];
  (slice.endpoints ?? []).forEach((endpoint, i) => {
    const at = `endpoints[${i}]`;
    if ((endpoint.addresses ?? []).length === 0) errs.push(fieldError.required(`${at}.addresses`, 'must contain at least 1 address'));
    (endpoint.addresses ?? []).forEach((address, a) => {
      if (check) errs.push(...each(`${at}.addresses[${a}]`, address, check(address)));
    });
    if (endpoint.hostname) errs.push(...each(`${at}.hostname`, endpoint.hostname, isDNS1123Label(endpoint.hostname)));
    if (endpoint.nodeName) errs.push(...each(`${at}.nodeName`, endpoint.nodeName, isDNS1123Subdomain(endpoint.nodeName)));
  });
  (slice.ports ?? []).forEach((port, p) => {
    const at = `ports[${p}]`;
    if (port.name) errs.push(...each(`${at}.name`, port.name, isDNS1123Label(port.name)));
    if (port.port !== undefined && port.port !== null) {
      errs.push(...isValidPortNum(port.port).map((m) => fieldError.invalid(`${at}.port`, port.port, m)));
    }
    errs.push(...oneOf(port.protocol, ['SCTP', 'TCP', 'UDP'], `${at}.protocol`));
  });
  return errs;
}

/** The endpointslices strategy. */
export const endpointSliceStrategy: Strategy = {
  applyDefaults(obj) {
    for (const port of asSlice(obj).ports ?? []) {
      port.protocol ||= 'TCP';
      port.name ??= '';
    }
  },
  validate(obj) {
    return validateSlice(asSlice(obj));
  },
  validateUpdate(obj, old) {
    return validateImmutableField(asSlice(obj).addressType, asSlice(old).addressType, 'addressType');
  },
};
