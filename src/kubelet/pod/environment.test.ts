import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ConfigMap, Container, Pod, Secret } from 'kubernetes-types/core/v1.js';
import { EnvironmentError, containerEnvironment, type EnvSourceResolver } from './environment.js';

const b64 = (s: string): string => Buffer.from(s).toString('base64');
const configMaps: Record<string, ConfigMap> = {
  cfg: { data: { HOST: 'db', PORT: '5432', '1BAD': 'x', 'has.dot': 'y' } },
};
const secrets: Record<string, Secret> = { creds: { data: { PASSWORD: b64('s3cret') } } };
const resolver: EnvSourceResolver = { configMap: (n) => configMaps[n], secret: (n) => secrets[n] };

function pod(container: Container): Pod {
  return { metadata: { name: 'web', namespace: 'prod', uid: 'u-1', labels: { app: 'web' } }, spec: { containers: [container], serviceAccountName: 'sa' } };
}
const env = (c: Container, serviceEnv?: Map<string, string>) =>
  containerEnvironment(pod(c), c, resolver, serviceEnv, { nodeName: 'node-1', podIPs: ['10.0.0.5', 'fd00::5'], hostIPs: ['192.168.1.2'], allocatable: { cpu: '4', memory: '8Gi' } });
const asRecord = (e: { name: string; value: string }[]) => Object.fromEntries(e.map((v) => [v.name, v.value]));

test('envFrom with prefix keeps every key, also those that are not C identifiers', () => {
  const got = env({ name: 'c', envFrom: [{ configMapRef: { name: 'cfg' } }, { prefix: 'DB_', configMapRef: { name: 'cfg' } }] });
  assert.deepEqual(asRecord(got.env), {
    HOST: 'db', PORT: '5432', '1BAD': 'x', 'has.dot': 'y', DB_HOST: 'db', DB_PORT: '5432', DB_1BAD: 'x', 'DB_has.dot': 'y',
  });
});

test('env after envFrom overrides it and expands $(VAR) from earlier values and services', () => {
  const got = env({ name: 'c', envFrom: [{ secretRef: { name: 'creds' } }], env: [
    { name: 'URL', value: 'postgres://$(HOST):$(PORT)@$(SVC_HOST)/$(LATER)' },
    { name: 'PASSWORD', value: 'override-$(PASSWORD)' },
    { name: 'LATER', value: 'x' },
    { name: 'ESCAPED', value: '$$(HOST)' },
  ] }, new Map([['SVC_HOST', '10.96.0.10'], ['LATER', 'svc']]));
  assert.deepEqual(asRecord(got.env), {
    PASSWORD: 'override-s3cret', URL: 'postgres://$(HOST):$(PORT)@10.96.0.10/svc', LATER: 'x', ESCAPED: '$(HOST)', SVC_HOST: '10.96.0.10',
  });
});

test('valueFrom: fieldRef, resourceFieldRef, configMapKeyRef, secretKeyRef', () => {
  const got = env({ name: 'c', resources: { limits: { memory: '256Mi' }, requests: { cpu: '250m' } }, env: [
    { name: 'NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    { name: 'NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
    { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
    { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
    { name: 'SA', valueFrom: { fieldRef: { fieldPath: 'spec.serviceAccountName' } } },
    { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
    { name: 'IPS', valueFrom: { fieldRef: { fieldPath: 'status.podIPs' } } },
    { name: 'HOST_IP', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
    { name: 'MEM_MI', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
    { name: 'CPU_REQ_M', valueFrom: { resourceFieldRef: { resource: 'requests.cpu', divisor: '1m' } } },
    { name: 'CPU_REQ', valueFrom: { resourceFieldRef: { resource: 'requests.cpu' } } },
    { name: 'CPU_LIMIT', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
    { name: 'DB', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'HOST' } } },
    { name: 'PW', valueFrom: { secretKeyRef: { name: 'creds', key: 'PASSWORD' } } },
    { name: 'OPT', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'NOPE', optional: true } } },
    { name: 'OPT2', valueFrom: { secretKeyRef: { name: 'missing', key: 'k', optional: true } } },
  ] });
  assert.deepEqual(asRecord(got.env), {
    NAME: 'web', NS: 'prod', APP: 'web', NODE: 'node-1', SA: 'sa', IP: '10.0.0.5', IPS: '10.0.0.5,fd00::5', HOST_IP: '192.168.1.2',
    MEM_MI: '256', CPU_REQ_M: '250', CPU_REQ: '1', CPU_LIMIT: '4', DB: 'db', PW: 's3cret',
  });
});

test('missing non-optional sources fail with upstream messages', () => {
  assert.throws(() => env({ name: 'c', env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'NOPE' } } }] }),
    new EnvironmentError("couldn't find key NOPE in ConfigMap prod/cfg"));
  assert.throws(() => env({ name: 'c', env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'creds', key: 'NOPE' } } }] }),
    new EnvironmentError("couldn't find key NOPE in Secret prod/creds"));
  assert.throws(() => env({ name: 'c', envFrom: [{ configMapRef: { name: 'gone' } }] }), EnvironmentError);
  assert.deepEqual(env({ name: 'c', envFrom: [{ configMapRef: { name: 'gone', optional: true } }] }).env, []);
  assert.throws(() => env({ name: 'c', env: [{ name: 'X', valueFrom: { fieldRef: { fieldPath: 'spec.bogus' } } }] }),
    new EnvironmentError('unsupported fieldPath: spec.bogus'));
});

test('service variables come last and never override the container', () => {
  const got = env({ name: 'c', env: [{ name: 'KUBERNETES_PORT', value: 'mine' }] }, new Map([['KUBERNETES_PORT', 'tcp://10.96.0.1:443'], ['KUBERNETES_SERVICE_HOST', '10.96.0.1']]));
  assert.deepEqual(got.env, [{ name: 'KUBERNETES_PORT', value: 'mine' }, { name: 'KUBERNETES_SERVICE_HOST', value: '10.96.0.1' }]);
});
