/**
 * A gRPC check: calls grpc.health.v1.Health/Check (plaintext) for `service` and passes
 * when the answer is SERVING, as upstream's grpc prober.
 */
import { credentials, loadPackageDefinition, status } from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';
import { fromJSON } from '@grpc/proto-loader';
import type { CheckOutcome } from './outcome.js';
import { failed, passed } from './outcome.js';

/** grpc.health.v1 as protobuf JSON: the Check request and response. */
const HEALTH_PROTO = {
  nested: {
    grpc: { nested: { health: { nested: { v1: { nested: {
      HealthCheckRequest: { fields: { service: { type: 'string', id: 1 } } },
      HealthCheckResponse: {
        fields: { status: { type: 'ServingStatus', id: 1 } },
        nested: { ServingStatus: { values: { UNKNOWN: 0, SERVING: 1, NOT_SERVING: 2, SERVICE_UNKNOWN: 3 } } },
      },
      Health: { methods: { Check: { requestType: 'HealthCheckRequest', responseType: 'HealthCheckResponse' } } },
    } } } } } },
  },
};

type CheckCallback = (err: ServiceError | null, response?: { status: string }) => void;
interface HealthClient {
  Check(request: { service: string }, options: { deadline: Date }, callback: CheckCallback): void;
  close(): void;
}
type HealthClientConstructor = new (address: string, creds: ReturnType<typeof credentials.createInsecure>) => HealthClient;

let healthClient: HealthClientConstructor | undefined;

function healthClientConstructor(): HealthClientConstructor {
  if (healthClient === undefined) {
    const loaded = loadPackageDefinition(fromJSON(HEALTH_PROTO as Parameters<typeof fromJSON>[0], { enums: String })) as unknown as { grpc: { health: { v1: { Health: HealthClientConstructor } } } };
    healthClient = loaded.grpc.health.v1.Health;
  }
  return healthClient;
}

/** Asks `host:port` about `service` ('' = the server as a whole), within `timeoutMs`. */
export function grpcCheck(host: string, port: number, service: string, timeoutMs: number): Promise<CheckOutcome> {
  const address = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  const Client = healthClientConstructor();
  const client = new Client(address, credentials.createInsecure());
  return new Promise((resolve) => {
    client.Check({ service }, { deadline: new Date(Date.now() + timeoutMs) }, (err, response) => {
      client.close();
      if (err !== null) {
        const unreachable = err.code === status.UNAVAILABLE || err.code === status.DEADLINE_EXCEEDED;
        resolve(failed(unreachable ? `timeout: failed to connect service "${address}" within ${timeoutMs / 1000}s: ${err.details}` : `rpc error: code = ${status[err.code]} desc = ${err.details}`));
      } else if (response?.status !== 'SERVING') {
        resolve(failed(`service unhealthy (responded with "${response?.status ?? 'UNKNOWN'}")`));
      } else {
        resolve(passed());
      }
    });
  });
}
