/**
 * Runs one probe once (upstream prober.runProbe): exec, httpGet, tcpSocket or grpc,
 * whichever the probe spec sets, with its timeoutSeconds (default 1).
 */
import type { Container, Probe } from 'kubernetes-types/core/v1.js';
import type { CriClient } from '../../runtime/cri/client.js';
import { execCheck } from './execCheck.js';
import { grpcCheck } from './grpcCheck.js';
import { httpCheck } from './httpCheck.js';
import { httpTarget, resolvePort } from './handlerTarget.js';
import type { CheckOutcome } from './outcome.js';
import { tcpCheck } from './tcpCheck.js';

/** Where one probe run happens. */
export interface ProbeTarget {
  container: Container;
  /** Runtime id of the running container instance. */
  containerId: string;
  /** Host for network probes without their own (pod IP, or 127.0.0.1 for host network). */
  host: string;
}

/** Runs `probe` against `target`. A probe without a handler errors. */
export async function runProbe(cri: Pick<CriClient, 'execSync'>, probe: Probe, target: ProbeTarget): Promise<CheckOutcome> {
  const timeoutSeconds = probe.timeoutSeconds ?? 1;
  const timeoutMs = timeoutSeconds * 1000;
  if (probe.exec !== undefined) return execCheck(cri, target.containerId, probe.exec.command ?? [], timeoutSeconds);
  if (probe.httpGet !== undefined) {
    const http = httpTarget(probe.httpGet, target.container, target.host);
    return typeof http === 'string' ? { result: 'error', output: http } : httpCheck(http, timeoutMs);
  }
  if (probe.tcpSocket !== undefined) {
    const port = resolvePort(probe.tcpSocket.port, target.container);
    if (port === undefined) return { result: 'error', output: `invalid port: ${String(probe.tcpSocket.port)}` };
    return tcpCheck(probe.tcpSocket.host !== undefined && probe.tcpSocket.host !== '' ? probe.tcpSocket.host : target.host, port, timeoutMs);
  }
  if (probe.grpc !== undefined) return grpcCheck(target.host, probe.grpc.port, probe.grpc.service ?? '', timeoutMs);
  return { result: 'error', output: 'missing probe handler' };
}
