import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { lstat, mkdtemp, readFile, readdir, readlink, realpath, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { realClock } from '../../client/clock.js';
import { DATA_DIR_NAME, InvalidPayloadPathError, writeAtomically } from './atomicWriter.js';
import type { Payload } from './atomicWriter.js';

function payloadOf(files: Record<string, string>, mode = 0o644): Payload {
  return new Map(Object.entries(files).map(([path, text]) => [path, { data: Buffer.from(text), mode }]));
}

describe('atomic writer', () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'k8ts-atomic-'));
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('writes a timestamped data dir behind ..data with one symlink per top-level entry', async () => {
    const dir = join(root, 'initial');
    assert.equal(await writeAtomically(dir, payloadOf({ a: 'one', 'nested/b': 'two' }, 0o600), realClock), true);
    const target = await readlink(join(dir, DATA_DIR_NAME));
    assert.match(target, /^\.\.\d{4}_\d{2}_\d{2}_\d{2}_\d{2}_\d{2}\.\d+$/);
    assert.equal(await readlink(join(dir, 'a')), '..data/a');
    assert.equal(await readlink(join(dir, 'nested')), '..data/nested');
    assert.equal(await readFile(join(dir, 'a'), 'utf8'), 'one');
    assert.equal(await readFile(join(dir, 'nested/b'), 'utf8'), 'two');
    assert.equal((await stat(join(dir, 'a'))).mode & 0o7777, 0o600);
    assert.deepEqual((await readdir(dir)).sort(), [target, DATA_DIR_NAME, 'a', 'nested'].sort());
  });

  it('swaps ..data on update, drops removed keys and the old data dir, and skips identical payloads', async () => {
    const dir = join(root, 'update');
    await writeAtomically(dir, payloadOf({ a: '1', b: '1' }), realClock);
    const first = await readlink(join(dir, DATA_DIR_NAME));
    assert.equal(await writeAtomically(dir, payloadOf({ a: '1', b: '1' }), realClock), false);
    assert.equal(await readlink(join(dir, DATA_DIR_NAME)), first);
    assert.equal(await writeAtomically(dir, payloadOf({ a: '2', c: '2' }), realClock), true);
    const second = await readlink(join(dir, DATA_DIR_NAME));
    assert.notEqual(second, first);
    assert.deepEqual((await readdir(dir)).sort(), [second, DATA_DIR_NAME, 'a', 'c'].sort());
    assert.equal(await readFile(join(dir, 'a'), 'utf8'), '2');
    await assert.rejects(lstat(join(dir, 'b')), { code: 'ENOENT' });
    assert.equal(await writeAtomically(dir, payloadOf({ a: '2', c: '2' }, 0o400), realClock), true, 'a mode change is a change');
  });

  it('refuses absolute paths, .. elements and leading .. before touching anything', async () => {
    const dir = join(root, 'invalid');
    await assert.rejects(writeAtomically(dir, payloadOf({ '/etc/x': '' }), realClock), new InvalidPayloadPathError('invalid path: must be relative path: /etc/x'));
    await assert.rejects(writeAtomically(dir, payloadOf({ 'a/../../x': '' }), realClock), new InvalidPayloadPathError("invalid path: must not contain '..': a/../../x"));
    await assert.rejects(writeAtomically(dir, payloadOf({ '..x': '' }), realClock), new InvalidPayloadPathError("invalid path: must not start with '..': ..x"));
    await assert.rejects(lstat(dir), { code: 'ENOENT' });
  });

  it('never lets a reader of ..data see a mix of two versions', async () => {
    const dir = join(root, 'readers');
    const versions = [payloadOf({ a: 'v0', b: 'v0' }), payloadOf({ a: 'v1', b: 'v1', c: 'v1' })];
    await writeAtomically(dir, versions[0] as Payload, realClock);
    let writing = true;
    const writer = (async () => {
      for (let i = 1; i <= 40; i++) await writeAtomically(dir, versions[i % 2] as Payload, realClock);
      writing = false;
    })();
    let consistentReads = 0;
    for (let attempt = 0; attempt < 100_000 && writing; attempt++) {
      try {
        const snapshot = await realpath(join(dir, DATA_DIR_NAME));
        const names = (await readdir(snapshot)).sort();
        const contents = await Promise.all(names.map((name) => readFile(join(snapshot, name), 'utf8')));
        const version = contents[0] as string;
        assert.ok(contents.every((text) => text === version), `mixed contents ${contents.join(',')}`);
        assert.deepEqual(names, version === 'v0' ? ['a', 'b'] : ['a', 'b', 'c']);
        consistentReads++;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
    await writer;
    assert.ok(consistentReads > 0);
  });
});
