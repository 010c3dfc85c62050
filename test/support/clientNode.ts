/**
 * Test support for black-box tests with the official JavaScript client,
 * @kubernetes/client-node: a KubeConfig for a test cluster, bounded polling, and
 * reading the Status body out of the client's ApiException.
 */
import { ApiException, KubeConfig } from '@kubernetes/client-node';
import type { TestCluster } from './cluster.js';

/** A KubeConfig loaded from the admin kubeconfig the cluster wrote, as a client-node user would. */
export function kubeConfigFor(cluster: TestCluster): KubeConfig {
  const config = new KubeConfig();
  config.loadFromFile(cluster.kubeconfig);
  return config;
}

/**
 * Calls `probe` every 50 ms until it returns something other than undefined, and
 * resolves to that. Rejects with `what` (and the last error `probe` threw) once
 * `timeoutMs` has passed.
 */
export async function eventually<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const cause = lastError === undefined ? '' : `; last error: ${String(lastError)}`;
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
}

/** The parts of a Kubernetes Status body that tests assert on. */
export interface StatusBody {
  kind: string;
  status: string;
  reason: string;
  code: number;
  message: string;
  details?: { name?: string; kind?: string; causes?: { type?: string; field?: string; message?: string }[] };
}

/**
 * Awaits `call`, which must fail with the client's ApiException; resolves to the
 * HTTP code and the parsed Status body (client-node hands the body over as text).
 */
export async function rejection(call: Promise<unknown>): Promise<{ code: number; status: StatusBody }> {
  try {
    await call;
  } catch (error) {
    if (!(error instanceof ApiException)) throw error;
    const body: unknown = error.body;
    const status = (typeof body === 'string' ? JSON.parse(body) : body) as StatusBody;
    return { code: error.code, status };
  }
  throw new Error('expected the call to fail with an ApiException, but it succeeded');
}
