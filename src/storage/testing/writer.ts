/**
 * A child process for durability tests: opens the store at argv[2] and creates keys
 * `<argv[3]><n>` from `argv[4]` concurrent loops (default 8) until killed, printing
 * each key on its own stdout line only after the store acknowledged its create.
 * argv[5] optionally sets the SQLite `synchronous` mode.
 */
import { openStore } from '../open.js';
import type { SqliteSynchronous } from '../sqlite/schema.js';

async function main(): Promise<void> {
  const [endpoint, prefix, concurrencyText, synchronous] = process.argv.slice(2);
  if (endpoint === undefined || prefix === undefined) {
    throw new Error('usage: writer.js ENDPOINT PREFIX [CONCURRENCY] [full|normal]');
  }
  const store = await openStore(endpoint, {
    compaction: false,
    synchronous: synchronous === 'normal' ? 'normal' : ('full' satisfies SqliteSynchronous),
  });
  let next = 0;
  const loop = async (): Promise<void> => {
    for (;;) {
      const key = `${prefix}${next++}`;
      await store.create(key, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: key.slice(prefix.length) }, data: { k: key } });
      process.stdout.write(`${key}\n`);
    }
  };
  await Promise.all(Array.from({ length: Number(concurrencyText ?? '8') }, loop));
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
