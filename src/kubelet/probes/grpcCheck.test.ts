import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Server, ServerCredentials, loadPackageDefinition, status } from '@grpc/grpc-js';
import type { ServiceDefinition, sendUnaryData, ServerUnaryCall } from '@grpc/grpc-js';
import { fromJSON } from '@grpc/proto-loader';
import { grpcCheck } from './grpcCheck.js';

/** grpc.health.v1.Health for the test server, written independently of the prober's copy. */
const PROTO = {
  nested: { grpc: { nested: { health: { nested: { v1: { nested: {
    HealthCheckRequest: { fields: { service: { type: 'string', id: 1 } } },
    HealthCheckResponse: { fields: { status: { type: 'ServingStatus', id: 1 } }, nested: { ServingStatus: { values: { UNKNOWN: 0, SERVING: 1, NOT_SERVING: 2, SERVICE_UNKNOWN: 3 } } } },
    Health: { methods: { Check: { requestType: 'HealthCheckRequest', responseType: 'HealthCheckResponse' } } },
  } } } } } } },
};

describe('grpc probe check', () => {
  const server = new Server();
  let port = 0;
  before(async () => {
    const loaded = loadPackageDefinition(fromJSON(PROTO as Parameters<typeof fromJSON>[0], { enums: String })) as unknown as { grpc: { health: { v1: { Health: { service: ServiceDefinition } } } } };
    server.addService(loaded.grpc.health.v1.Health.service, {
      Check: (call: ServerUnaryCall<{ service: string }, unknown>, reply: sendUnaryData<{ status: string }>) => {
        if (call.request.service === 'missing') reply({ code: status.NOT_FOUND, details: 'unknown service' });
        else reply(null, { status: call.request.service === 'down' ? 'NOT_SERVING' : 'SERVING' });
      },
    });
    port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (err, bound) => (err ? reject(err) : resolve(bound))));
  });
  after(() => server.forceShutdown());

  test('SERVING passes; NOT_SERVING and errors fail', async () => {
    assert.equal((await grpcCheck('127.0.0.1', port, '', 2000)).result, 'success');
    assert.deepEqual(await grpcCheck('127.0.0.1', port, 'down', 2000), { result: 'failure', output: 'service unhealthy (responded with "NOT_SERVING")' });
    assert.deepEqual(await grpcCheck('127.0.0.1', port, 'missing', 2000), { result: 'failure', output: 'rpc error: code = NOT_FOUND desc = unknown service' });
    const closed = await grpcCheck('127.0.0.1', 1, '', 1000);
    assert.match(closed.output, /^timeout: failed to connect service "127\.0\.0\.1:1" within 1s/);
  });
});
