/**
 * Endpoints (core/v1): ports default to TCP; addresses must be IPs and ports valid.
 */
import type { Endpoints } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../api/object.js';
import { fieldError, type FieldError } from '../../../api/status.js';
import { isValidPortNum } from '../../../api/validation/identifiers.js';
import { isValidIP } from '../../../api/validation/ip.js';
import { isDNS1123Label } from '../../../api/validation/names.js';
import type { Strategy } from '../strategy.js';
import { each, oneOf } from './podValidation.js';

const asEndpoints = (obj: KubeObject): Endpoints => obj as unknown as Endpoints;

/** The endpoints strategy. */
export const endpointsStrategy: Strategy = {
  applyDefaults(obj) {
    for (const subset of asEndpoints(obj).subsets ?? []) {
      for (const port of subset.ports ?? []) port.protocol ||= 'TCP';
    }
  },
  validate(obj) {
    const errs: FieldError[] = [];
    (asEndpoints(obj).subsets ?? []).forEach((subset, s) => {
      const at = `subsets[${s}]`;
      for (const kind of ['addresses', 'notReadyAddresses'] as const) {
        (subset[kind] ?? []).forEach((address, a) => {
          errs.push(...each(`${at}.${kind}[${a}].ip`, address.ip, isValidIP(address.ip)));
          if (address.hostname) errs.push(...each(`${at}.${kind}[${a}].hostname`, address.hostname, isDNS1123Label(address.hostname)));
        });
      }
      (subset.ports ?? []).forEach((port, p) => {
        const path = `${at}.ports[${p}]`;
        if (port.name) errs.push(...each(`${path}.name`, port.name, isDNS1123Label(port.name)));
        errs.push(...isValidPortNum(port.port).map((m) => fieldError.invalid(`${path}.port`, port.port, m)));
        errs.push(...oneOf(port.protocol, ['SCTP', 'TCP', 'UDP'], `${path}.protocol`));
      });
    });
    return errs;
  },
};
