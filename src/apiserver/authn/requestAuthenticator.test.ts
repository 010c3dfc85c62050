import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { request, createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { ensureClusterPki, issueClientCertificate, type ClusterPki } from '../pki/cluster-pki.js';
import { x509 } from '../pki/x509.js';
import type { TokenAuthenticator } from './bearerToken.js';
import { anonymousMayReach, createRequestAuthenticator, type RequestAuthenticator } from './requestAuthenticator.js';
import { CREDENTIAL_ID_KEY, type CredentialCheck, type UserInfo } from './user.js';

interface Seen {
  authorized: boolean;
  user: UserInfo | null;
}

/** An HTTPS server configured as the API server's listener, answering with what authentication saw. */
async function startServer(pki: ClusterPki, authenticator: RequestAuthenticator): Promise<Server> {
  const server = createServer(
    { cert: pki.serving.certPem, key: pki.serving.keyPem, ca: [pki.ca.certPem], requestCert: true, rejectUnauthorized: false },
    (req, res) => {
      const socket = req.socket as TLSSocket;
      void authenticator.authenticate({ socket, headers: req.headers }).then((user) => {
        const seen: Seen = { authorized: socket.authorized, user: user ?? null };
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(seen));
      });
    },
  );
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return server;
}

async function call(server: Server, ca: string, client?: { certPem: string; keyPem: string }, headers: Record<string, string> = {}): Promise<Seen> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/api', ca, cert: client?.certPem, key: client?.keyPem, headers, agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve(JSON.parse(body) as Seen));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** A token source that knows one good token and refuses one it recognises as expired. */
const staticTokens: TokenAuthenticator = {
  async authenticateToken(token: string, audiences: readonly string[]): Promise<CredentialCheck> {
    if (token === 'good') return { outcome: 'authenticated', user: { username: 'alice', uid: 'u1', groups: ['dev'] }, audiences: [...audiences] };
    if (token === 'expired') return { outcome: 'rejected', error: 'token has expired' };
    return { outcome: 'absent' };
  },
};

describe('request authentication over TLS', () => {
  let dataDir: string;
  let foreignDir: string;
  let pki: ClusterPki;
  let foreign: ClusterPki;
  let server: Server;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'k8ts-authn-'));
    foreignDir = await mkdtemp(join(tmpdir(), 'k8ts-authn-foreign-'));
    pki = await ensureClusterPki(dataDir);
    foreign = await ensureClusterPki(foreignDir);
    server = await startServer(pki, createRequestAuthenticator({ tokenAuthenticators: [staticTokens] }));
  });
  after(async () => {
    server?.closeAllConnections();
    await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
    await rm(dataDir, { recursive: true, force: true });
    await rm(foreignDir, { recursive: true, force: true });
  });

  test('the admin certificate authenticates as admin in system:masters', async () => {
    const seen = await call(server, pki.ca.certPem, pki.admin);
    assert.equal(seen.authorized, true);
    assert.equal(seen.user?.username, 'admin');
    assert.deepEqual(seen.user?.groups, ['system:masters', 'system:authenticated']);
    const der = Buffer.from(new x509.X509Certificate(pki.admin.certPem).rawData);
    const fingerprint = createHash('sha256').update(der).digest('hex');
    assert.deepEqual(seen.user?.extra?.[CREDENTIAL_ID_KEY], [`X509SHA256=${fingerprint}`]);
  });

  test('a request without credentials is anonymous', async () => {
    const seen = await call(server, pki.ca.certPem);
    assert.deepEqual(seen.user, { username: 'system:anonymous', groups: ['system:unauthenticated'] });
  });

  test('a certificate from another CA completes the handshake but is refused (401), not anonymous', async () => {
    const seen = await call(server, pki.ca.certPem, foreign.admin);
    assert.equal(seen.authorized, false);
    assert.equal(seen.user, null);
  });

  test('a server certificate is not a client credential', async () => {
    const seen = await call(server, pki.ca.certPem, pki.serving);
    assert.equal(seen.user, null);
  });

  test('an issued certificate names its user and groups', async () => {
    const node = await issueClientCertificate(pki, { commonName: 'system:node:n1', organizations: ['system:nodes'] });
    const seen = await call(server, pki.ca.certPem, node);
    assert.equal(seen.user?.username, 'system:node:n1');
    assert.deepEqual(seen.user?.groups, ['system:nodes', 'system:authenticated']);
  });

  test('a valid certificate wins over an invalid bearer token', async () => {
    const seen = await call(server, pki.ca.certPem, pki.admin, { authorization: 'Bearer nonsense' });
    assert.equal(seen.user?.username, 'admin');
  });
});

describe('bearer tokens', () => {
  const plain = (headers: Record<string, string>) => ({ socket: new Socket(), headers });
  const authenticator = createRequestAuthenticator({ tokenAuthenticators: [staticTokens], apiAudiences: ['https://kubernetes.default.svc'] });

  test('a known token authenticates its user with system:authenticated', async () => {
    const user = await authenticator.authenticate(plain({ authorization: 'Bearer good' }));
    assert.deepEqual(user, { username: 'alice', uid: 'u1', groups: ['dev', 'system:authenticated'] });
  });

  test('the scheme is case-insensitive', async () => {
    assert.equal((await authenticator.authenticate(plain({ authorization: 'bearer good' })))?.username, 'alice');
  });

  test('unknown and refused tokens fail the request', async () => {
    assert.equal(await authenticator.authenticate(plain({ authorization: 'Bearer unknown' })), undefined);
    assert.equal(await authenticator.authenticate(plain({ authorization: 'Bearer expired' })), undefined);
  });

  test('an empty token or another scheme is no credential at all', async () => {
    assert.equal((await authenticator.authenticate(plain({ authorization: 'Bearer ' })))?.username, 'system:anonymous');
    assert.equal((await authenticator.authenticate(plain({ authorization: 'Basic Zm9vOmJhcg==' })))?.username, 'system:anonymous');
  });

  test('without anonymous access, no credentials fail the request', async () => {
    const strict = createRequestAuthenticator({ anonymous: false });
    assert.equal(await strict.authenticate(plain({})), undefined);
  });

  test('requests are checked against the API audiences', async () => {
    const seen: string[][] = [];
    const recording = createRequestAuthenticator({
      apiAudiences: ['https://kubernetes.default.svc'],
      tokenAuthenticators: [{ async authenticateToken(_token, audiences) { seen.push([...audiences]); return { outcome: 'absent' }; } }],
    });
    await recording.authenticate(plain({ authorization: 'Bearer x' }));
    assert.deepEqual(seen, [['https://kubernetes.default.svc']]);
  });

  test('token review reports errors and the audiences asked for', async () => {
    assert.deepEqual(await authenticator.reviewToken('unknown', []), { outcome: 'rejected', error: 'invalid bearer token' });
    assert.deepEqual(await authenticator.reviewToken('expired', []), { outcome: 'rejected', error: 'token has expired' });
    const asked = await authenticator.reviewToken('good', ['vault']);
    assert.ok(asked.outcome === 'authenticated');
    assert.deepEqual(asked.audiences, ['vault']);
  });
});

describe('anonymousMayReach', () => {
  test('health and version endpoints and their subpaths only', () => {
    for (const path of ['/healthz', '/livez', '/readyz', '/version', '/healthz/ping', '/readyz/etcd', '/version/']) {
      assert.ok(anonymousMayReach(path), path);
    }
    for (const path of ['/', '/api', '/healthzfoo', '/apis/apps/v1', '/metrics', '/openapi/v2']) {
      assert.ok(!anonymousMayReach(path), path);
    }
  });
});
