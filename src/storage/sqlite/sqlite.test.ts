import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { runStoreConformance } from '../conformance.js';
import { openSqliteStore } from './sqliteStore.js';

const dir = mkdtempSync(join(tmpdir(), 'k8ts-sqlite-conformance-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

runStoreConformance('sqlite', () => Promise.resolve(openSqliteStore(join(dir, `store-${++n}.db`), { compaction: false })));
