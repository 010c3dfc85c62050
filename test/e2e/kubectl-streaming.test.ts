/**
 * e2e: kubectl's streaming commands through the API server and the kubelet, with the
 * newest kubectl (WebSocket: v5.channel.k8s.io for exec and attach, SPDY tunnelled in
 * WebSocket for port-forward) and 1.27 (SPDY): exec exit codes and stdin end, logs
 * --previous, attach with and without stdin, cp both ways, port-forward, and
 * `run --rm -it` under a pseudo-terminal. One cluster and a few pods serve every case.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { bindKubectl } from '../support/boundKubectl.js';
import type { TestCluster } from '../support/cluster.js';
import { freePort, kubectlBinaries, startCluster } from '../support/cluster.js';
import { busyboxPod, manifest } from '../support/manifests.js';
import { pollUntil } from '../support/poll.js';
import WebSocket from 'ws';

/** A busybox pod on `node` running `script`, with an emptyDir at /data; `stdin` keeps its stdin open for attach. */
function podManifest(name: string, node: string, script: string, options: { stdin?: boolean } = {}): string {
  return manifest(
    busyboxPod(name, node, {
      script,
      container: { stdin: options.stdin ?? false, volumeMounts: [{ name: 'data', mountPath: '/data' }] },
      spec: { terminationGracePeriodSeconds: 1, volumes: [{ name: 'data', emptyDir: {} }] },
    }),
  );
}

/** Runs `command` until its combined output matches `until`, then ends it; resolves to that output. */
function runUntil(command: string, args: string[], env: Record<string, string>, until: RegExp, input?: string): Promise<string> {
  return new Promise((ok, fail) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`${command} ${args.join(' ')}: no ${until} within 30 s:\n${output}`));
    }, 30_000);
    const watch = (chunk: Buffer): void => {
      output += chunk.toString();
      if (!until.test(output)) return;
      clearTimeout(timer);
      child.kill('SIGTERM');
      ok(output);
    };
    child.stdout.on('data', watch);
    child.stderr.on('data', watch);
    child.once('error', fail);
    if (input !== undefined) child.stdin.write(input);
  });
}

/** The value of an unlabelled-code counter in the API server's metrics text, 0 when absent. */
function counter(metrics: string, name: string, code: string): number {
  const line = metrics.split('\n').find((l) => l.startsWith(`${name}{code="${code}"}`));
  return line === undefined ? 0 : Number(line.split(' ')[1]);
}

describe('kubectl streaming commands', () => {
  let cluster: TestCluster;
  let node = '';
  let dir = '';

  before(async () => {
    cluster = await startCluster();
    dir = await mkdtemp(join(tmpdir(), 'k8ts-streaming-e2e-'));
    const k = bindKubectl(() => cluster, 'kubectl');
    node = await pollUntil('the node', async () => (await k.ok(['get', 'nodes', '-o', 'jsonpath={.items[0].metadata.name}'])) || undefined);
    await k.ok(['apply', '-f', '-'], { input: podManifest('web', node, 'mkdir -p /www && echo hello-from-pod > /www/index.html && exec httpd -f -p 8080 -h /www') });
    await k.ok(['apply', '-f', '-'], {
      input: podManifest('restarts', node, 'if [ -e /data/ran ]; then echo second run; exec sleep 3600; fi; touch /data/ran; echo first run; exit 1'),
    });
    await k.ok(['apply', '-f', '-'], {
      input: podManifest('listener', node, 'while true; do echo tick; sleep 1; done & while read line; do echo "got:$line"; done; sleep 3600', { stdin: true }),
    });
    for (const pod of ['web', 'listener']) await k.ok(['wait', '--for=condition=Ready', `pod/${pod}`, '--timeout=60s']);
  });
  after(async () => {
    await cluster?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('newest kubectl uses WebSocket for exec, attach and port-forward (the API server counts translated and tunnelled requests)', async () => {
    const k = bindKubectl(() => cluster, 'kubectl');
    const metrics = (): Promise<string> => k.ok(['get', '--raw', '/metrics']);
    const before = await metrics();
    const exec = await k.run(['exec', 'web', '--', 'sh', '-c', 'echo out; exit 3']);
    assert.equal(exec.code, 3, exec.stderr);
    assert.equal(exec.stdout, 'out\n');
    const translated = counter(await metrics(), 'apiserver_stream_translator_requests_total', '200');
    assert.equal(translated, counter(before, 'apiserver_stream_translator_requests_total', '200') + 1);
    await runUntil('kubectl', ['attach', 'listener'], { KUBECONFIG: cluster.kubeconfig }, /tick\n/);
    await pollUntil('the translated attach counted', async () =>
      counter(await metrics(), 'apiserver_stream_translator_requests_total', '200') > translated ? true : undefined,
    );
    const localPort = await freePort();
    await runUntil('kubectl', ['port-forward', 'pod/web', `${localPort}:8080`], { KUBECONFIG: cluster.kubeconfig }, /Forwarding from/);
    await pollUntil('the tunnelled port-forward counted', async () =>
      counter(await metrics(), 'apiserver_stream_tunnel_requests_total', '200') > counter(before, 'apiserver_stream_tunnel_requests_total', '200') ? true : undefined,
    );
  });

  test('a v4.channel.k8s.io WebSocket client gets output and the exit status', async () => {
    const query = new URLSearchParams([['command', 'sh'], ['command', '-c'], ['command', 'echo v4; exit 5'], ['stdout', 'true'], ['stderr', 'true']]);
    const tls = { cert: await readFile(join(cluster.dataDir, 'tls', 'admin.crt')), key: await readFile(join(cluster.dataDir, 'tls', 'admin.key')), rejectUnauthorized: false };
    const ws = new WebSocket(`wss://127.0.0.1:${cluster.port}/api/v1/namespaces/default/pods/web/exec?${query}`, ['v4.channel.k8s.io'], tls);
    const channels = new Map<number, string>();
    ws.on('message', (data: Buffer) => channels.set(data[0] ?? -1, (channels.get(data[0] ?? -1) ?? '') + data.subarray(1).toString()));
    await new Promise<void>((closed, fail) => {
      ws.once('close', () => closed());
      ws.once('error', fail);
    });
    assert.equal(ws.protocol, 'v4.channel.k8s.io');
    assert.equal(channels.get(1), 'v4\n');
    const status = JSON.parse(channels.get(3) ?? '{}') as { status?: string; reason?: string; details?: { causes?: { reason: string; message: string }[] } };
    assert.equal(status.status, 'Failure');
    assert.equal(status.reason, 'NonZeroExitCode');
    assert.deepEqual(status.details?.causes, [{ reason: 'ExitCode', message: '5' }]);
  });

  for (const binary of kubectlBinaries()) {
    describe(`kubectl ${binary.version}`, () => {
      const k = bindKubectl(() => cluster, binary.path);
      const env = (): Record<string, string> => ({ KUBECONFIG: cluster.kubeconfig });

      test('exec: exit codes, stdin to its end, a terminal', async () => {
        const failed = await k.run(['exec', 'web', '--', 'sh', '-c', 'echo to-stderr >&2; exit 3']);
        assert.equal(failed.code, 3);
        assert.match(failed.stderr, /to-stderr/);
        assert.equal(await k.ok(['exec', '-i', 'web', '--', 'cat'], { input: 'hi\n' }), 'hi\n');
        assert.equal(await k.ok(['exec', '-i', 'web', '--', 'wc', '-l'], { input: 'a\nb\nc\n' }), '3\n');
        // The terminal's size reaches the container through the resize stream.
        const tty = await runUntil('script', ['-qec', `stty rows 37 cols 91; ${binary.path} exec -it web -- sh -c 'sleep 0.5; stty -a'`, '/dev/null'], env(), /rows 37; columns 91/);
        assert.match(tty, /rows 37; columns 91/);
      });

      test('logs --previous: the restarted container\'s earlier output; none before a restart', async () => {
        await pollUntil('restarts to run twice', async () => ((await k.run(['logs', 'restarts'])).stdout.includes('second run') ? true : undefined), 90_000, 1000);
        assert.equal(await k.ok(['logs', 'restarts', '--previous']), 'first run\n');
        assert.equal(await k.ok(['logs', 'restarts']), 'second run\n');
        const none = await k.fails(['logs', 'web', '--previous']);
        assert.match(none, /previous terminated container "main" in pod "web" not found/);
      });

      test('attach: output without stdin, input with -i', async () => {
        const watched = await runUntil(binary.path, ['attach', 'listener'], env(), /tick\n/);
        assert.match(watched, /tick/);
        const word = `word-${binary.version}`;
        const talked = await runUntil(binary.path, ['attach', '-i', 'listener'], env(), new RegExp(`got:${word}`), `${word}\n`);
        assert.match(talked, new RegExp(`got:${word}`));
      });

      test('cp: a file into the pod and back out', async () => {
        const local = join(dir, `up-${binary.version}.txt`);
        await writeFile(local, `copied by kubectl ${binary.version}\n`);
        await k.ok(['cp', local, `web:/tmp/up-${binary.version}.txt`]);
        assert.equal(await k.ok(['exec', 'web', '--', 'cat', `/tmp/up-${binary.version}.txt`]), `copied by kubectl ${binary.version}\n`);
        const back = join(dir, `down-${binary.version}.txt`);
        await k.ok(['cp', `web:/tmp/up-${binary.version}.txt`, back]);
        assert.equal(await readFile(back, 'utf8'), `copied by kubectl ${binary.version}\n`);
        // Several megabytes: many frames and messages each way.
        const big = randomBytes(3 * 1024 * 1024);
        await writeFile(join(dir, 'big.bin'), big);
        await k.ok(['cp', join(dir, 'big.bin'), `web:/tmp/big-${binary.version}.bin`]);
        await k.ok(['cp', `web:/tmp/big-${binary.version}.bin`, join(dir, `big-back-${binary.version}.bin`)]);
        assert.ok(big.equals(await readFile(join(dir, `big-back-${binary.version}.bin`))), 'the big file came back unchanged');
      });

      test('port-forward: a local port reaches the pod\'s web server', async () => {
        const localPort = await freePort();
        const child = spawn(binary.path, ['port-forward', 'pod/web', `${localPort}:8080`], { env: { ...process.env, ...env() }, stdio: ['ignore', 'pipe', 'pipe'] });
        try {
          let output = '';
          child.stdout.on('data', (d: Buffer) => (output += d.toString()));
          child.stderr.on('data', (d: Buffer) => (output += d.toString()));
          await pollUntil('port-forward to listen', async () => (output.includes('Forwarding from') ? true : undefined), 30_000);
          for (let i = 0; i < 2; i++) {
            const res = await fetch(`http://127.0.0.1:${localPort}/`, { signal: AbortSignal.timeout(10_000) });
            assert.equal(await res.text(), 'hello-from-pod\n');
          }
        } finally {
          child.kill('SIGTERM');
        }
      });

      test('run --rm -it: the command\'s output on the terminal, then the pod is gone', async () => {
        const name = `tmp-${binary.version.replace('.', '-')}`;
        const overrides = JSON.stringify({ spec: { nodeName: node, terminationGracePeriodSeconds: 1 } });
        const command = `${binary.path} run ${name} --rm -it --restart=Never --image=busybox --image-pull-policy=IfNotPresent --overrides='${overrides}' -- sh -c 'read word; echo hi-from-run-$word'`;
        // The command waits for a line typed on the terminal, so its output cannot go out before kubectl attached.
        const output = await runUntil('script', ['-qec', command, '/dev/null'], env(), /pod "[^"]+" deleted/, 'typed\n');
        assert.match(output, /hi-from-run-typed/);
        assert.match(await k.fails(['get', 'pod', name]), /NotFound/);
      });
    });
  }
});
