/** A TCP socket check: passes when a connection opens within the timeout. */
import { connect } from 'node:net';
import type { CheckOutcome } from './outcome.js';
import { errorMessage, failed, passed } from './outcome.js';

/** Connects to `host:port`, giving up after `timeoutMs`; the connection is closed at once. */
export function tcpCheck(host: string, port: number, timeoutMs: number): Promise<CheckOutcome> {
  const address = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error('i/o timeout')));
    socket.once('connect', () => {
      socket.destroy();
      resolve(passed());
    });
    socket.once('error', (err) => resolve(failed(`dial tcp ${address}: ${errorMessage(err)}`)));
  });
}
