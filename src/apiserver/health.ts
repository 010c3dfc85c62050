/**
 * /healthz, /livez and /readyz: named checks, `?verbose` listing each as
 * `[+]name ok`, `?exclude=name`, and single checks at /livez/{name}, as upstream.
 */

/** A named health check; resolves true when healthy. */
export interface HealthCheck {
  name: string;
  check(): Promise<boolean> | boolean;
}

/** The text and HTTP code of a health endpoint for `path` (e.g. `/readyz` or `/livez/ping`). */
export async function evaluateHealth(
  endpoint: string,
  checks: readonly HealthCheck[],
  subPath: string,
  query: URLSearchParams,
): Promise<{ code: number; text: string } | undefined> {
  if (subPath !== '') {
    const single = checks.find((c) => c.name === subPath);
    if (single === undefined) return undefined;
    const ok = await safeCheck(single);
    return ok ? { code: 200, text: 'ok' } : { code: 500, text: `internal server error: ${single.name} check failed` };
  }
  const excluded = new Set(query.getAll('exclude'));
  const lines: string[] = [];
  let healthy = true;
  for (const c of checks) {
    if (excluded.has(c.name)) {
      lines.push(`[+]${c.name} excluded: ok`);
      continue;
    }
    const ok = await safeCheck(c);
    healthy &&= ok;
    lines.push(ok ? `[+]${c.name} ok` : `[-]${c.name} failed: reason withheld`);
  }
  const verbose = query.has('verbose');
  if (healthy) {
    return { code: 200, text: verbose ? `${lines.join('\n')}\n${endpoint} check passed\n` : 'ok' };
  }
  return { code: 500, text: `${lines.join('\n')}\n${endpoint} check failed\n` };
}

async function safeCheck(c: HealthCheck): Promise<boolean> {
  try {
    return await c.check();
  } catch {
    return false;
  }
}
