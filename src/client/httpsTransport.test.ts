import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { HttpsTransport } from './httpsTransport.js';
import { RestClient } from './restClient.js';
import { makeTestPki } from './testing/tlsFixtures.js';
import type { TestPki } from './testing/tlsFixtures.js';
import { isTransportError, readBody } from './transport.js';

/** A loopback HTTP server that echoes requests and can hold a watch open. */
describe('HttpsTransport over loopback HTTP', () => {
  let server: http.Server;
  let base: string;
  const sockets = new Set<unknown>();
  const openWatches = new Set<http.ServerResponse>();

  before(async () => {
    server = http.createServer((req, res) => {
      sockets.add(req.socket);
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://x');
        if (url.searchParams.get('watch') === 'true') {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.write(JSON.stringify({ type: 'ADDED', object: { metadata: { name: 'a', resourceVersion: '1' } } }) + '\n');
          openWatches.add(res);
          res.on('close', () => openWatches.delete(res));
          return;
        }
        if (url.pathname.endsWith('/missing')) {
          res.writeHead(404, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'NotFound', code: 404, message: 'configmaps "missing" not found' }));
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json', 'x-echo': 'yes' });
        res.end(JSON.stringify({
          metadata: { name: 'echo' },
          method: req.method,
          url: req.url,
          authorization: req.headers['authorization'] ?? null,
          contentType: req.headers['content-type'] ?? null,
          body: Buffer.concat(chunks).toString('utf8'),
        }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  test('sends method, path, query, headers, bearer token and body; returns status, headers and body', async () => {
    const transport = new HttpsTransport({ server: `${base}/prefix/`, bearerToken: 'tok' });
    try {
      const res = await transport.request({
        method: 'POST',
        path: '/api/v1/namespaces/ns/configmaps',
        query: new URLSearchParams({ fieldManager: 'me' }),
        headers: { 'content-type': 'application/json' },
        body: '{"x":1}',
      });
      assert.equal(res.status, 200);
      assert.equal(res.headers['x-echo'], 'yes');
      const echo = JSON.parse((await readBody(res.body)).toString()) as Record<string, unknown>;
      assert.deepEqual(echo, {
        metadata: { name: 'echo' },
        method: 'POST',
        url: '/prefix/api/v1/namespaces/ns/configmaps?fieldManager=me',
        authorization: 'Bearer tok',
        contentType: 'application/json',
        body: '{"x":1}',
      });
    } finally {
      transport.close();
    }
  });

  test('keeps connections alive across requests', async () => {
    const transport = new HttpsTransport({ server: base });
    try {
      sockets.clear();
      for (let i = 0; i < 5; i++) await readBody((await transport.request({ method: 'GET', path: '/api/v1/namespaces' })).body);
      assert.equal(sockets.size, 1);
    } finally {
      transport.close();
    }
  });

  test('a RestClient over it maps Status responses and streams watches until aborted', async () => {
    const transport = new HttpsTransport({ server: base });
    const client = new RestClient(transport);
    try {
      await assert.rejects(client.get({ group: '', version: 'v1', resource: 'configmaps', namespace: 'ns' }, 'missing'), {
        name: 'StatusError',
        code: 404,
        reason: 'NotFound',
      });
      const stop = new AbortController();
      const events = await client.watch({ group: '', version: 'v1', resource: 'configmaps' }, { signal: stop.signal });
      const seen: string[] = [];
      for await (const e of events) {
        seen.push(e.type);
        stop.abort();
      }
      assert.deepEqual(seen, ['ADDED']);
      for (let i = 0; i < 1000 && openWatches.size > 0; i++) await new Promise((resolve) => setImmediate(resolve));
      assert.equal(openWatches.size, 0, 'the server saw the watch connection close');
    } finally {
      transport.close();
    }
  });

  test('a refused connection is a Network TransportError with the system code', async () => {
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const transport = new HttpsTransport({ server: `http://127.0.0.1:${port}` });
    try {
      await assert.rejects(transport.request({ method: 'GET', path: '/api' }), (err: unknown) => isTransportError(err, 'Network') && err.code === 'ECONNREFUSED');
    } finally {
      transport.close();
    }
  });

  test('an already aborted signal fails with an Aborted TransportError', async () => {
    const transport = new HttpsTransport({ server: base });
    const stop = new AbortController();
    stop.abort();
    try {
      await assert.rejects(transport.request({ method: 'GET', path: '/api', signal: stop.signal }), (err: unknown) => isTransportError(err, 'Aborted'));
    } finally {
      transport.close();
    }
  });
});

describe('HttpsTransport over TLS with client certificates', () => {
  let pki: TestPki;
  let server: https.Server;
  let base: string;

  before(async () => {
    pki = await makeTestPki('alice', 'devs');
    server = https.createServer(
      { cert: pki.serverCertPem, key: pki.serverKeyPem, ca: pki.caPem, requestCert: true, rejectUnauthorized: false },
      (req, res) => {
        const socket = req.socket as TLSSocket;
        const peer = socket.getPeerCertificate();
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ metadata: {}, authorized: socket.authorized, cn: peer.subject?.CN ?? null }));
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  test('verifies the server with the CA and presents the client certificate', async () => {
    const transport = new HttpsTransport({ server: base, caPem: pki.caPem, certPem: pki.clientCertPem, keyPem: pki.clientKeyPem });
    try {
      const res = await transport.request({ method: 'GET', path: '/api' });
      assert.deepEqual(JSON.parse((await readBody(res.body)).toString()), { metadata: {}, authorized: true, cn: 'alice' });
    } finally {
      transport.close();
    }
  });

  test('without the CA the server certificate is rejected as a Network error', async () => {
    const transport = new HttpsTransport({ server: base });
    try {
      await assert.rejects(transport.request({ method: 'GET', path: '/api' }), (err: unknown) => isTransportError(err, 'Network'));
    } finally {
      transport.close();
    }
  });
});
