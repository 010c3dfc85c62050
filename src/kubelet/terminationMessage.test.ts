import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { ContainerStatus } from '../runtime/cri/types.js';
import { RuntimeKey } from './runtimeLabels.js';
import { prepareTerminationMessage, terminationMessage } from './terminationMessage.js';

let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'termination-message-'));
});
after(() => rm(dir, { recursive: true, force: true }));

function exited(name: string, restartCount: number, exitCode: number, policy: string, logPath = ''): ContainerStatus {
  return {
    id: 'id', metadata: { name, attempt: restartCount }, state: 'CONTAINER_EXITED', createdAt: '1', startedAt: '1', finishedAt: '2', exitCode,
    image: null, imageRef: '', reason: '', message: '', labels: { [RuntimeKey.containerName]: name },
    annotations: { [RuntimeKey.restartCount]: String(restartCount), [RuntimeKey.terminationMessagePath]: '/dev/termination-log', [RuntimeKey.terminationMessagePolicy]: policy },
    logPath,
  };
}

test('the file mounted at terminationMessagePath is the message, cut to 4096 bytes', async () => {
  const mount = await prepareTerminationMessage(dir, { name: 'a' }, 2);
  assert.equal(mount?.containerPath, '/dev/termination-log');
  await writeFile(mount?.hostPath ?? '', 'x'.repeat(5000));
  assert.equal(await terminationMessage(dir, exited('a', 2, 0, 'File')), 'x'.repeat(4096));
});

test('FallbackToLogsOnError takes the log tail only for a failed container with an empty file', async () => {
  await prepareTerminationMessage(dir, { name: 'b' }, 0);
  const log = join(dir, 'b.log');
  const lines = Array.from({ length: 100 }, (_, i) => `2024-01-01T00:00:00.000000000Z stdout F line ${i}`);
  await writeFile(log, `${lines.join('\n')}\n`);
  const message = await terminationMessage(dir, exited('b', 0, 1, 'FallbackToLogsOnError', log));
  assert.ok(message.startsWith('line 20\n') && message.endsWith('line 99\n'), message);
  assert.equal(await terminationMessage(dir, exited('b', 0, 0, 'FallbackToLogsOnError', log)), '');
  assert.equal(await terminationMessage(dir, exited('b', 0, 1, 'File', log)), '');
});
