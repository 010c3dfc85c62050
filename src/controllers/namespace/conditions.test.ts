import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { NamespaceStatus } from 'kubernetes-types/core/v1.js';
import { GroupDiscoveryFailedError } from '../../client/index.js';
import { NAMESPACE_DELETION_CONDITIONS, applyDeletionConditions } from './conditions.js';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const T1 = T0 + 60_000;

describe('namespace deletion conditions', () => {
  test('a clean pass writes all five conditions False with upstream reasons and messages', () => {
    const status: NamespaceStatus = { phase: 'Terminating' };
    assert.equal(applyDeletionConditions(status, {}, T0), true);
    assert.deepEqual(status.conditions, [
      { type: 'NamespaceDeletionDiscoveryFailure', status: 'False', lastTransitionTime: '2026-01-01T12:00:00Z', reason: 'ResourcesDiscovered', message: 'All resources successfully discovered' },
      { type: 'NamespaceDeletionGroupVersionParsingFailure', status: 'False', lastTransitionTime: '2026-01-01T12:00:00Z', reason: 'ParsedGroupVersions', message: 'All legacy kube types successfully parsed' },
      { type: 'NamespaceDeletionContentFailure', status: 'False', lastTransitionTime: '2026-01-01T12:00:00Z', reason: 'ContentDeleted', message: 'All content successfully deleted, may be waiting on finalization' },
      { type: 'NamespaceContentRemaining', status: 'False', lastTransitionTime: '2026-01-01T12:00:00Z', reason: 'ContentRemoved', message: 'All content successfully removed' },
      { type: 'NamespaceFinalizersRemaining', status: 'False', lastTransitionTime: '2026-01-01T12:00:00Z', reason: 'ContentHasNoFinalizers', message: 'All content-preserving finalizers finished' },
    ]);
    assert.equal(applyDeletionConditions(status, {}, T1), false, 'the same findings change nothing');
  });

  test('problems become True conditions with sorted, counted details', () => {
    const status: NamespaceStatus = {};
    applyDeletionConditions(
      status,
      {
        discoveryError: new GroupDiscoveryFailedError(new Map([['metrics.k8s.io/v1beta1', new Error('the server is currently unable to handle the request')]])),
        groupVersionErrors: [new Error('unexpected GroupVersion string: a/b/c')],
        contentErrors: [new Error('z failed'), new Error('a failed')],
        remainingByResource: new Map([['pods.', 2], ['deployments.apps', 1], ['jobs.batch', 0]]),
        remainingByFinalizer: new Map([['example.com/hold', 3]]),
      },
      T0,
    );
    const byType = new Map(status.conditions?.map((c) => [c.type, c]));
    assert.deepEqual(
      NAMESPACE_DELETION_CONDITIONS.map((type) => [byType.get(type)?.status, byType.get(type)?.reason, byType.get(type)?.message]),
      [
        ['True', 'DiscoveryFailed', 'Discovery failed for some groups, 1 failing: unable to retrieve the complete list of server APIs: metrics.k8s.io/v1beta1: the server is currently unable to handle the request'],
        ['True', 'GroupVersionParsingFailed', 'unexpected GroupVersion string: a/b/c'],
        ['True', 'ContentDeletionFailed', 'Failed to delete all resource types, 2 remaining: a failed, z failed'],
        ['True', 'SomeResourcesRemain', 'Some resources are remaining: deployments.apps has 1 resource instances, pods. has 2 resource instances'],
        ['True', 'SomeFinalizersRemain', 'Some content in the namespace has finalizers remaining: example.com/hold in 3 resource instances'],
      ],
    );
  });

  test('lastTransitionTime moves only when a condition flips', () => {
    const status: NamespaceStatus = {};
    applyDeletionConditions(status, { remainingByResource: new Map([['configmaps.', 2]]) }, T0);
    assert.equal(applyDeletionConditions(status, { remainingByResource: new Map([['configmaps.', 1]]) }, T1), true);
    const remaining = () => status.conditions?.find((c) => c.type === 'NamespaceContentRemaining');
    assert.equal(remaining()?.message, 'Some resources are remaining: configmaps. has 1 resource instances');
    assert.equal(remaining()?.lastTransitionTime, '2026-01-01T12:00:00Z', 'same status: time kept');
    applyDeletionConditions(status, {}, T1);
    assert.deepEqual([remaining()?.status, remaining()?.reason, remaining()?.lastTransitionTime], ['False', 'ContentRemoved', '2026-01-01T12:01:00Z']);
  });

  test('conditions of other types are kept', () => {
    const status: NamespaceStatus = { conditions: [{ type: 'example.com/Custom', status: 'True' }] };
    applyDeletionConditions(status, {}, T0);
    assert.equal(status.conditions?.length, 6);
    assert.deepEqual(status.conditions?.[0], { type: 'example.com/Custom', status: 'True' });
  });
});
