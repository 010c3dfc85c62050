import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { realClock } from '../../client/index.js';
import { FileSource } from './fileSource.js';
import { CONFIG_SEEN_ANNOTATION } from './podSource.js';

function manifest(name: string, command = 'sleep 3600'): string {
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n  - name: main\n    image: busybox\n    command: [sh, -c, "${command}"]\n`;
}

describe('the static pod file source', () => {
  let dir: string;
  let controller: AbortController;
  let source: FileSource;
  let latest: readonly Pod[] = [];
  const errors: string[] = [];

  /** Waits (bounded) until the latest set of pods satisfies `check`. */
  async function podsWhere(what: string, check: (pods: readonly Pod[]) => boolean): Promise<readonly Pod[]> {
    for (let i = 0; i < 200 && !check(latest); i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(check(latest), `${what}; pods: ${latest.map((p) => p.metadata?.name).join(', ')}`);
    return latest;
  }
  const names = (pods: readonly Pod[]): string[] => pods.map((p) => p.metadata?.name ?? '').sort();

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'k8ts-manifests-'));
    await writeFile(join(dir, 'web.yaml'), manifest('web'));
    await writeFile(join(dir, '.hidden.yaml'), manifest('hidden'));
    await writeFile(join(dir, 'broken.yaml'), 'kind: Pod\n  metadata: [');
    controller = new AbortController();
    source = new FileSource({
      dir,
      nodeName: 'n1',
      clock: realClock,
      rescanPeriodMs: 500,
      onPods: (pods) => void (latest = pods),
      onError: (_err, path) => void errors.push(path),
    });
    await source.start(controller.signal);
  });

  after(async () => {
    controller?.abort();
    await source?.stopped();
    await rm(dir, { recursive: true, force: true });
  });

  test('the first read gives the valid, non-hidden manifests; a broken one is reported, not fatal', () => {
    assert.deepEqual(names(latest), ['web-n1']);
    assert.match(latest[0]?.metadata?.annotations?.[CONFIG_SEEN_ANNOTATION] ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d*[1-9])?Z$/);
    assert.deepEqual(errors, [join(dir, 'broken.yaml')]);
  });

  test('an added file adds its pod, and the others keep their uid and seen time', async () => {
    const [web] = latest;
    await writeFile(join(dir, 'db.json'), JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'db', namespace: 'data' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } }));
    const pods = await podsWhere('db added', (p) => p.length === 2);
    assert.deepEqual(names(pods), ['db-n1', 'web-n1']);
    assert.equal(pods.find((p) => p.metadata?.name === 'db-n1')?.metadata?.namespace, 'data');
    assert.deepEqual(pods.find((p) => p.metadata?.name === 'web-n1')?.metadata, web?.metadata);
  });

  test('a changed file replaces its pod with one of a new uid', async () => {
    const before = latest.find((p) => p.metadata?.name === 'web-n1')?.metadata?.uid;
    await writeFile(join(dir, 'web.yaml'), manifest('web', 'sleep 10'));
    const pods = await podsWhere('web changed', (p) => p.some((pod) => pod.metadata?.name === 'web-n1' && pod.metadata.uid !== before));
    assert.deepEqual(names(pods), ['db-n1', 'web-n1']);
  });

  test('a fixed broken file adds its pod; a removed file removes its pod', async () => {
    await writeFile(join(dir, 'broken.yaml'), manifest('fixed'));
    await podsWhere('fixed added', (p) => p.some((pod) => pod.metadata?.name === 'fixed-n1'));
    await unlink(join(dir, 'db.json'));
    const pods = await podsWhere('db removed', (p) => !p.some((pod) => pod.metadata?.name === 'db-n1'));
    assert.deepEqual(names(pods), ['fixed-n1', 'web-n1']);
    assert.equal(errors.length, 1);
  });
});

describe('a file source over a missing directory', () => {
  test('has no pods and reports nothing', async () => {
    const controller = new AbortController();
    let seen: readonly Pod[] | undefined;
    const errors: unknown[] = [];
    const source = new FileSource({ dir: join(tmpdir(), `k8ts-missing-${process.pid}-${Date.now()}`), nodeName: 'n', clock: realClock, onPods: (p) => void (seen = p), onError: (err) => void errors.push(err) });
    await source.start(controller.signal);
    controller.abort();
    await source.stopped();
    assert.deepEqual(seen, []);
    assert.deepEqual(errors, []);
  });
});
