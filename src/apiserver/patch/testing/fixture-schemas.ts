/**
 * Small OpenAPI v3 component schemas shaped like upstream's (refs wrapped in allOf,
 * list/patch extensions on the property), for tests of patching and apply. A
 * hand-written subset of the Pod and Deployment types; not upstream text.
 */
import type { JSONSchema } from '../openapi-schema.js';
import { patchSchemaFromOpenApiV3 } from '../openapi-schema.js';
import type { PatchSchema } from '../schema.js';

const ref = (name: string): JSONSchema => ({ allOf: [{ $ref: `#/components/schemas/${name}` }] });
const str: JSONSchema = { type: 'string' };
const int: JSONSchema = { type: 'integer', format: 'int32' };
const stringMap: JSONSchema = { type: 'object', additionalProperties: { type: 'string', default: '' } };
const keyedList = (item: string, keys: string[], mergeKey: string, strategy = 'merge'): JSONSchema => ({
  type: 'array',
  items: ref(item),
  'x-kubernetes-list-type': 'map',
  'x-kubernetes-list-map-keys': keys,
  'x-kubernetes-patch-merge-key': mergeKey,
  'x-kubernetes-patch-strategy': strategy,
});

/** The fixture components, keyed by upstream-style definition names. */
export const FIXTURE_COMPONENTS: Record<string, JSONSchema> = {
  'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta': {
    type: 'object',
    properties: {
      name: str,
      namespace: str,
      uid: str,
      resourceVersion: str,
      generation: { type: 'integer', format: 'int64' },
      creationTimestamp: ref('io.k8s.apimachinery.pkg.apis.meta.v1.Time'),
      labels: stringMap,
      annotations: stringMap,
      finalizers: {
        type: 'array',
        items: { type: 'string', default: '' },
        'x-kubernetes-list-type': 'set',
        'x-kubernetes-patch-strategy': 'merge',
      },
      ownerReferences: keyedList('io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference', ['uid'], 'uid'),
      managedFields: { type: 'array', items: ref('io.k8s.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry'), 'x-kubernetes-list-type': 'atomic' },
    },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.Time': { type: 'string', format: 'date-time' },
  'io.k8s.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry': { type: 'object', properties: { manager: str } },
  'io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference': {
    type: 'object',
    properties: { apiVersion: str, kind: str, name: str, uid: str, controller: { type: 'boolean' } },
    'x-kubernetes-map-type': 'atomic',
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector': {
    type: 'object',
    properties: { matchLabels: stringMap },
    'x-kubernetes-map-type': 'atomic',
  },
  'io.k8s.api.core.v1.Pod': {
    type: 'object',
    properties: {
      apiVersion: str,
      kind: str,
      metadata: ref('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'),
      spec: ref('io.k8s.api.core.v1.PodSpec'),
      status: { type: 'object', properties: { phase: str } },
    },
  },
  'io.k8s.api.core.v1.PodSpec': {
    type: 'object',
    required: ['containers'],
    properties: {
      containers: keyedList('io.k8s.api.core.v1.Container', ['name'], 'name'),
      initContainers: keyedList('io.k8s.api.core.v1.Container', ['name'], 'name'),
      volumes: keyedList('io.k8s.api.core.v1.Volume', ['name'], 'name', 'merge,retainKeys'),
      tolerations: { type: 'array', items: ref('io.k8s.api.core.v1.Toleration'), 'x-kubernetes-list-type': 'atomic' },
      nodeSelector: { ...stringMap, 'x-kubernetes-map-type': 'atomic' },
      restartPolicy: str,
      nodeName: str,
      securityContext: { type: 'object', properties: { runAsUser: { type: 'integer' } } },
    },
  },
  'io.k8s.api.core.v1.Container': {
    type: 'object',
    properties: {
      name: str,
      image: str,
      args: { type: 'array', items: str, 'x-kubernetes-list-type': 'atomic' },
      command: { type: 'array', items: str, 'x-kubernetes-list-type': 'atomic' },
      env: keyedList('io.k8s.api.core.v1.EnvVar', ['name'], 'name'),
      ports: keyedList('io.k8s.api.core.v1.ContainerPort', ['containerPort', 'protocol'], 'containerPort'),
      resources: { type: 'object', properties: { limits: stringMap, requests: stringMap } },
    },
  },
  'io.k8s.api.core.v1.EnvVar': { type: 'object', properties: { name: str, value: str, valueFrom: { type: 'object', properties: { fieldRef: { type: 'object', properties: { fieldPath: str } } } } } },
  'io.k8s.api.core.v1.ContainerPort': {
    type: 'object',
    properties: { containerPort: int, protocol: { type: 'string', default: 'TCP' }, name: str },
  },
  'io.k8s.api.core.v1.Toleration': { type: 'object', properties: { key: str, operator: str, effect: str } },
  'io.k8s.api.core.v1.Volume': {
    type: 'object',
    properties: {
      name: str,
      emptyDir: { type: 'object', properties: { medium: str } },
      configMap: { type: 'object', properties: { name: str } },
      secret: { type: 'object', properties: { secretName: str } },
    },
  },
  'io.k8s.api.apps.v1.Deployment': {
    type: 'object',
    properties: {
      apiVersion: str,
      kind: str,
      metadata: ref('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'),
      spec: ref('io.k8s.api.apps.v1.DeploymentSpec'),
    },
  },
  'io.k8s.api.apps.v1.DeploymentSpec': {
    type: 'object',
    required: ['selector', 'template'],
    properties: {
      replicas: int,
      paused: { type: 'boolean' },
      selector: ref('io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector'),
      template: ref('io.k8s.api.core.v1.PodTemplateSpec'),
      strategy: { ...ref('io.k8s.api.apps.v1.DeploymentStrategy'), 'x-kubernetes-patch-strategy': 'retainKeys' },
    },
  },
  'io.k8s.api.apps.v1.DeploymentStrategy': {
    type: 'object',
    properties: {
      type: str,
      rollingUpdate: { type: 'object', properties: { maxSurge: { 'x-kubernetes-int-or-string': true }, maxUnavailable: { 'x-kubernetes-int-or-string': true } } },
    },
  },
  'io.k8s.api.core.v1.PodTemplateSpec': {
    type: 'object',
    properties: { metadata: ref('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'), spec: ref('io.k8s.api.core.v1.PodSpec') },
  },
};

/** The Pod schema over the fixture. */
export function podSchema(): PatchSchema {
  return patchSchemaFromOpenApiV3(FIXTURE_COMPONENTS, 'io.k8s.api.core.v1.Pod');
}

/** The Deployment schema over the fixture. */
export function deploymentSchema(): PatchSchema {
  return patchSchemaFromOpenApiV3(FIXTURE_COMPONENTS, '#/components/schemas/io.k8s.api.apps.v1.Deployment');
}
