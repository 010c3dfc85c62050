import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { CONFIG_HASH_ANNOTATION, CONFIG_SOURCE_ANNOTATION } from './podSource.js';
import { ManifestError, parsePodManifest, staticPodFromManifest } from './staticPod.js';

const YAML = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: main
    image: busybox:1.36
    command: [sleep, "3600"]
`;

describe('pod manifests', () => {
  test('YAML and JSON manifests parse to the same Pod', () => {
    const fromYaml = parsePodManifest(YAML);
    assert.equal(fromYaml.metadata?.name, 'web');
    assert.deepEqual(parsePodManifest(JSON.stringify(fromYaml)), fromYaml);
  });

  for (const [what, text, message] of [
    ['broken YAML', 'kind: Pod\n  metadata: [', /.+/],
    ['two documents', `${YAML}---\n${YAML}`, /.+/],
    ['another kind', YAML.replace('kind: Pod', 'kind: Service'), /kind Pod/],
    ['no name', YAML.replace('  name: web\n', '  labels: {}\n'), /invalid pod: name is needed for the pod/],
    ['no containers', 'apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec: {}\n', /spec\.containers: Required value/],
    ['a container without image', YAML.replace('    image: busybox:1.36\n', ''), /spec\.containers\[0\]\.image: Required value/],
    ['a ClusterTrustBundle projection', `${YAML}  volumes:\n  - name: ctb\n    projected:\n      sources:\n      - clusterTrustBundle: {name: b, path: ca.pem}\n`, /static pods may not use ClusterTrustBundle projected volume sources/],
    ['a resource claim', `${YAML}  resourceClaims:\n  - name: gpu\n    resourceClaimName: gpu\n`, /static pods may not use ResourceClaims/],
  ] as const) {
    test(`${what} is refused with a ManifestError`, () => {
      assert.throws(() => parsePodManifest(text), (err: unknown) => err instanceof ManifestError && message.test(err.message));
    });
  }
});

describe('static pods from manifests', () => {
  const manifest = (): Pod => parsePodManifest(YAML);

  test('named <name>-<node>, namespace default, bound to the node, hash and source annotations, pending', () => {
    const pod = staticPodFromManifest(manifest(), '/etc/manifests/web.yaml', 'Node-A');
    assert.equal(pod.metadata?.name, 'web-node-a');
    assert.equal(pod.metadata?.namespace, 'default');
    assert.equal(pod.spec?.nodeName, 'Node-A');
    assert.match(pod.metadata?.uid ?? '', /^[0-9a-f]{32}$/);
    assert.equal(pod.metadata?.annotations?.[CONFIG_HASH_ANNOTATION], pod.metadata?.uid);
    assert.equal(pod.metadata?.annotations?.[CONFIG_SOURCE_ANNOTATION], 'file');
    assert.deepEqual(pod.status, { phase: 'Pending' });
  });

  test('API defaults are applied and every NoExecute taint is tolerated once', () => {
    const pod = staticPodFromManifest(manifest(), '/m/web.yaml', 'n');
    const main = pod.spec?.containers[0];
    assert.equal(main?.imagePullPolicy, 'IfNotPresent');
    assert.equal(main?.terminationMessagePath, '/dev/termination-log');
    assert.equal(pod.spec?.restartPolicy, 'Always');
    assert.equal(pod.spec?.terminationGracePeriodSeconds, 30);
    assert.deepEqual(pod.spec?.tolerations, [{ operator: 'Exists', effect: 'NoExecute' }]);
    const again = staticPodFromManifest({ ...pod, metadata: { name: 'web' } }, '/m/web.yaml', 'n');
    assert.deepEqual(again.spec?.tolerations, [{ operator: 'Exists', effect: 'NoExecute' }]);
  });

  test('the UID is stable for the same file and changes with its content, path or node; a manifest UID is kept', () => {
    const uid = (pod: Pod, path = '/m/web.yaml', node = 'n'): string | undefined => staticPodFromManifest(pod, path, node).metadata?.uid;
    assert.equal(uid(manifest()), uid(manifest()));
    const edited = manifest();
    edited.spec!.containers[0]!.command = ['sleep', '10'];
    assert.notEqual(uid(edited), uid(manifest()));
    assert.notEqual(uid(manifest(), '/m/other.yaml'), uid(manifest()));
    assert.notEqual(uid(manifest(), '/m/web.yaml', 'm'), uid(manifest()));
    assert.equal(uid({ ...manifest(), metadata: { name: 'web', uid: 'fixed' } }), 'fixed');
  });

  test('the manifest itself is left untouched', () => {
    const original = manifest();
    const copy = structuredClone(original);
    staticPodFromManifest(original, '/m/web.yaml', 'n');
    assert.deepEqual(original, copy);
  });
});
