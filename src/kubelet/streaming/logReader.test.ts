import assert from 'node:assert/strict';
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseLogOptions } from './logOptions.js';
import { streamContainerLog } from './logReader.js';

async function withLogFile(text: string, body: (path: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-logreader-'));
  try {
    const path = join(dir, 'c.log');
    await writeFile(path, text);
    await body(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function read(path: string, query: string, isRunning: () => Promise<boolean> = async () => false): Promise<string> {
  let out = '';
  await streamContainerLog(path, parseLogOptions(new URLSearchParams(query)), async (t) => void (out += t), {
    isRunning,
    signal: new AbortController().signal,
    pollMs: 5,
  });
  return out;
}

const LINES = ['2024-05-01T10:00:00Z stdout F a', '2024-05-01T10:00:01Z stdout P b', '2024-05-01T10:00:02Z stdout F c', ''].join('\n');

describe('streamContainerLog', () => {
  it('reads the whole log, tails and limits bytes', async () => {
    await withLogFile(LINES, async (path) => {
      assert.equal(await read(path, ''), 'a\nbc\n');
      assert.equal(await read(path, 'tailLines=1'), 'bc\n');
      assert.equal(await read(path, 'limitBytes=3'), 'a\nb');
      assert.equal(await read(path, 'timestamps=true&tailLines=1'), '2024-05-01T10:00:02Z bc\n');
    });
  });

  it('follows new lines until the container stops running', async () => {
    await withLogFile(LINES, async (path) => {
      let polls = 0;
      const isRunning = async (): Promise<boolean> => {
        polls += 1;
        if (polls === 2) await appendFile(path, '2024-05-01T10:00:03Z stderr F d\n');
        if (polls === 3) await appendFile(path, '2024-05-01T10:00:04Z stderr F e\n');
        return polls < 3;
      };
      assert.equal(await read(path, 'follow=true&tailLines=1', isRunning), 'bc\nd\ne\n');
    });
  });
});
