import { after, before } from 'node:test';
import type { TestEtcd } from '../../../test/support/etcd.js';
import { startEtcd } from '../../../test/support/etcd.js';
import { runStoreConformance } from '../conformance.js';
import { openEtcdStore } from './etcdStore.js';

let etcd: TestEtcd | undefined;
before(async () => {
  etcd = await startEtcd();
});
after(() => etcd?.stop());

runStoreConformance('etcd', () => {
  if (etcd === undefined) throw new Error('etcd did not start');
  return Promise.resolve(openEtcdStore([etcd.endpoint]));
});
