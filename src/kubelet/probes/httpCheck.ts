/**
 * An HTTP GET check (probe or hook), as upstream's http prober: status 200–399 passes
 * (redirects are not followed), anything else fails; HTTPS skips certificate
 * verification. Headers: `User-Agent: kube-probe/1.32`, `Accept: *\/*`, then the
 * spec's httpHeaders (a `Host` header there sets the request's Host).
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { CheckOutcome } from './outcome.js';
import { errorMessage, failed, passed } from './outcome.js';

/** A resolved HTTP GET target. */
export interface HttpTarget {
  scheme: 'HTTP' | 'HTTPS';
  host: string;
  port: number;
  path: string;
  headers: readonly { name: string; value: string }[];
}

/** The URL `target` is fetched from (IPv6 hosts bracketed). */
export function targetUrl(target: HttpTarget): string {
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  const path = target.path.startsWith('/') ? target.path : `/${target.path}`;
  return `${target.scheme.toLowerCase()}://${host}:${target.port}${path}`;
}

/** GETs `target`, giving up after `timeoutMs`. */
export function httpCheck(target: HttpTarget, timeoutMs: number): Promise<CheckOutcome> {
  const url = targetUrl(target);
  const headers: Record<string, string> = { 'User-Agent': 'kube-probe/1.32', Accept: '*/*' };
  for (const h of target.headers) headers[h.name] = h.value;
  const request = target.scheme === 'HTTPS' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const req = request(url, { method: 'GET', headers, timeout: timeoutMs, rejectUnauthorized: false }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        if (size < 10_240) chunks.push(chunk);
        size += chunk.length;
      });
      res.on('end', () => {
        const code = res.statusCode ?? 0;
        const body = Buffer.concat(chunks).toString('utf8').slice(0, 10_240);
        resolve(code >= 200 && code < 400 ? passed(body) : failed(`HTTP probe failed with statuscode: ${code}`));
      });
      res.on('error', (err) => resolve(failed(`Get "${url}": ${errorMessage(err)}`)));
    });
    req.on('timeout', () => req.destroy(new Error('context deadline exceeded (Client.Timeout exceeded while awaiting headers)')));
    req.on('error', (err) => resolve(failed(`Get "${url}": ${errorMessage(err)}`)));
    req.end();
  });
}
