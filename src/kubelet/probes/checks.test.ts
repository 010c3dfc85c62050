import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { httpTarget, resolvePort } from './handlerTarget.js';
import { httpCheck } from './httpCheck.js';
import { tcpCheck } from './tcpCheck.js';

describe('probe checks against a local server', () => {
  const seen: { url: string; host: string; agent: string; custom: string }[] = [];
  const server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', host: req.headers.host ?? '', agent: req.headers['user-agent'] ?? '', custom: String(req.headers['x-custom'] ?? '') });
    const code = req.url === '/ok' ? 200 : req.url === '/moved' ? 302 : 500;
    res.writeHead(code, code === 302 ? { location: '/elsewhere' } : {}).end('body');
  });
  let port = 0;
  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('httpGet: 2xx and 3xx pass, 5xx fails with the status code; headers are sent', async () => {
    const target = (path: string) => ({ scheme: 'HTTP' as const, host: '127.0.0.1', port, path, headers: [{ name: 'Host', value: 'example.test' }, { name: 'X-Custom', value: 'v' }] });
    assert.equal((await httpCheck(target('/ok'), 1000)).result, 'success');
    assert.equal((await httpCheck(target('/moved'), 1000)).result, 'success');
    assert.deepEqual(await httpCheck(target('/bad'), 1000), { result: 'failure', output: 'HTTP probe failed with statuscode: 500' });
    assert.deepEqual(seen[0], { url: '/ok', host: 'example.test', agent: 'kube-probe/1.32', custom: 'v' });
  });

  test('tcpSocket: an open port passes, a closed one fails', async () => {
    assert.equal((await tcpCheck('127.0.0.1', port, 1000)).result, 'success');
    const closed = await tcpCheck('127.0.0.1', 1, 1000);
    assert.equal(closed.result, 'failure');
    assert.match(closed.output, /^dial tcp 127\.0\.0\.1:1: /);
  });

  test('named ports resolve through the container ports', () => {
    const container = { name: 'c', ports: [{ name: 'http', containerPort: 8080 }] };
    assert.equal(resolvePort('http', container), 8080);
    assert.equal(resolvePort(81, container), 81);
    assert.equal(resolvePort('nope', container), undefined);
    assert.deepEqual(httpTarget({ port: 'http' }, container, '10.0.0.1'), { scheme: 'HTTP', host: '10.0.0.1', port: 8080, path: '/', headers: [] });
  });
});
