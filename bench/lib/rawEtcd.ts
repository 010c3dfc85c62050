/**
 * The reference the API is measured against: a single etcd3 client (one gRPC channel,
 * as the k8ts server itself holds) writing 1 KiB values straight into etcd, either as
 * plain puts or as the create-if-absent transaction the k8ts etcd store issues.
 */
import { Etcd3 } from 'etcd3';

/** How a raw write is issued. */
export type RawWrite = 'put' | 'txn-create';

/** A connected etcd3 client; `write` stores `value` at `key`, `close` disconnects. */
export interface RawEtcd {
  write(kind: RawWrite, key: string, value: Buffer): Promise<void>;
  close(): void;
}

/** Connects to etcd at `endpoint` and checks it answers. */
export async function connectRawEtcd(endpoint: string): Promise<RawEtcd> {
  const client = new Etcd3({ hosts: [endpoint] });
  await client.get('/bench/ping').string();
  return {
    async write(kind, key, value) {
      if (kind === 'put') {
        await client.put(key).value(value);
        return;
      }
      const k = Buffer.from(key);
      const res = await client.kv.txn({
        compare: [{ key: k, target: 'Create', result: 'Equal', create_revision: 0 }],
        success: [{ request_put: { key: k, value } }],
        failure: [],
      });
      if (!res.succeeded) throw new Error(`etcd txn-create of ${key}: key already exists`);
    },
    close() {
      client.close();
    },
  };
}
