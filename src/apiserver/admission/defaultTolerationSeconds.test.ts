import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod, Toleration } from 'kubernetes-types/core/v1.js';
import { admitDefaultTolerationSeconds } from './defaultTolerationSeconds.js';

const podWith = (tolerations?: Toleration[]): Pod => ({ spec: { containers: [{ name: 'c' }], ...(tolerations ? { tolerations } : {}) } });

describe('DefaultTolerationSeconds admission', () => {
  test('a pod without tolerations gets not-ready and unreachable NoExecute tolerations for 300 s', () => {
    const pod = podWith();
    admitDefaultTolerationSeconds(pod);
    assert.deepEqual(pod.spec?.tolerations, [
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]);
  });

  test('tolerations the pod has are kept and not duplicated; the configured seconds are used', () => {
    const own: Toleration = { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 };
    const pod = podWith([own]);
    admitDefaultTolerationSeconds(pod, { notReadySeconds: 60 });
    assert.deepEqual(pod.spec?.tolerations, [own, { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }]);
  });

  test('a toleration of every taint (no key, no effect) or of the key with no effect counts', () => {
    const everything = podWith([{ operator: 'Exists' }]);
    admitDefaultTolerationSeconds(everything);
    assert.deepEqual(everything.spec?.tolerations, [{ operator: 'Exists' }]);
    const anyEffect = podWith([{ key: 'node.kubernetes.io/not-ready', operator: 'Exists' }]);
    admitDefaultTolerationSeconds(anyEffect);
    assert.deepEqual(anyEffect.spec?.tolerations?.map((t) => t.key), ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']);
  });

  test('a NoSchedule toleration of the key does not count', () => {
    const pod = podWith([{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' }]);
    admitDefaultTolerationSeconds(pod);
    assert.equal(pod.spec?.tolerations?.length, 3);
  });
});
