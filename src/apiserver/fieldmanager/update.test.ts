import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/object.js';
import { podSchema } from '../patch/testing/fixture-schemas.js';
import { fieldElement } from './path-element.js';
import { updateManagedFields, type UpdateManagedFieldsOptions } from './update.js';
import { managerOrUserAgent } from './manager-name.js';

type Obj = KubeObject & Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const at = (iso: string) => () => new Date(iso);
const opts = (manager: string, extra: Partial<UpdateManagedFieldsOptions> = {}): UpdateManagedFieldsOptions => ({
  manager,
  apiVersion: 'v1',
  schema: podSchema(),
  now: at('2024-01-01T00:00:00Z'),
  ...extra,
});

function pod(labels: Record<string, string>, image = 'nginx'): Obj {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', labels }, spec: { containers: [{ name: 'c', image }] } };
}
const stored = (obj: Obj): Obj => ({ ...obj, metadata: { ...obj.metadata, uid: 'u1', resourceVersion: '5' } });

describe('updateManagedFields', () => {
  test('a create records an Update entry owning every field set', () => {
    const created = updateManagedFields(undefined, pod({ app: 'web' }), opts('kubectl-create'));
    assert.deepEqual(created.metadata.managedFields, [
      {
        manager: 'kubectl-create',
        operation: 'Update',
        apiVersion: 'v1',
        time: '2024-01-01T00:00:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
          'f:spec': { 'f:containers': { 'k:{"name":"c"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
        },
      },
    ]);
  });

  test('a later update moves changed fields to its manager and leaves the rest', () => {
    const created = stored(updateManagedFields(undefined, pod({ app: 'web' }), opts('kubectl-create')));
    const edited = pod({ app: 'web', tier: 'db' }, 'nginx:2');
    edited.metadata = { ...created.metadata, labels: edited.metadata.labels };
    const updated = updateManagedFields(created, edited, opts('kubectl-edit', { now: at('2024-01-02T00:00:00Z') }));
    const byManager = Object.fromEntries((updated.metadata.managedFields ?? []).map((e) => [e.manager, e]));
    assert.deepEqual(Object.keys(byManager), ['kubectl-create', 'kubectl-edit'], 'sorted by time');
    assert.deepEqual(byManager['kubectl-edit']?.fieldsV1, {
      'f:metadata': { 'f:labels': { 'f:tier': {} } },
      'f:spec': { 'f:containers': { 'k:{"name":"c"}': { 'f:image': {} } } },
    });
    const createFields = JSON.stringify(byManager['kubectl-create']?.fieldsV1);
    assert.ok(!createFields.includes('f:image'), 'the creator lost the image');
    assert.ok(createFields.includes('f:app'));
  });

  test('an update that changes nothing keeps the entries and their time', () => {
    const created = stored(updateManagedFields(undefined, pod({ app: 'web' }), opts('kubectl-create')));
    const again = updateManagedFields(created, structuredClone(created), opts('kubectl-create', { now: at('2025-01-01T00:00:00Z') }));
    assert.deepEqual(again.metadata.managedFields, created.metadata.managedFields);
  });

  test('managedFields: [] resets tracking; an existing untracked object stays untracked', () => {
    const created = stored(updateManagedFields(undefined, pod({ app: 'web' }), opts('kubectl-create')));
    const reset = structuredClone(created);
    reset.metadata.managedFields = [];
    const afterReset = updateManagedFields(created, reset, opts('kubectl-edit'));
    assert.equal(afterReset.metadata.managedFields, undefined);
    const later = updateManagedFields(stored(afterReset), pod({ app: 'x' }), opts('kubectl-edit'));
    assert.equal(later.metadata.managedFields, undefined);
  });

  test('managedFields sent without changes fall back to the stored ones', () => {
    const created = stored(updateManagedFields(undefined, pod({ app: 'web' }), opts('kubectl-create')));
    const withoutManaged = structuredClone(created);
    delete withoutManaged.metadata.managedFields;
    const out = updateManagedFields(created, withoutManaged, opts('other'));
    assert.deepEqual(out.metadata.managedFields, created.metadata.managedFields);
  });

  test('subresource writes are recorded with the subresource and ignore sent managedFields', () => {
    const created = stored(updateManagedFields(undefined, pod({ app: 'web' }), opts('kubectl-create')));
    const withStatus = structuredClone(created);
    withStatus.status = { phase: 'Running' };
    withStatus.metadata.managedFields = [];
    const out = updateManagedFields(created, withStatus, opts('kubelet', { subresource: 'status' }));
    const kubelet = out.metadata.managedFields?.find((e) => e.manager === 'kubelet');
    assert.equal(kubelet?.subresource, 'status');
    assert.deepEqual(kubelet?.fieldsV1, { 'f:status': { 'f:phase': {} } });
    assert.equal(out.metadata.managedFields?.length, 2);
  });

  test('custom resources (unstructured) own the root structs they add', () => {
    const cr: Obj = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 1 } };
    const out = updateManagedFields(undefined, cr, { manager: 'm', apiVersion: 'example.com/v1', schema: undefined, unstructured: true, now: at('2024-01-01T00:00:00Z') });
    assert.deepEqual(out.metadata.managedFields?.[0]?.fieldsV1, { 'f:spec': { '.': {}, 'f:size': {} } });
  });

  test('ignored subtrees are not tracked', () => {
    const obj = pod({ app: 'web' });
    obj.status = { phase: 'Pending' };
    const out = updateManagedFields(undefined, obj, opts('m', { ignoredFields: [[fieldElement('status')]] }));
    assert.ok(!JSON.stringify(out.metadata.managedFields).includes('status'));
  });

  test('more than ten update managers fold the oldest into ancient-changes', () => {
    let current = stored(updateManagedFields(undefined, pod({ l0: 'v' }), opts('m0', { now: at('2024-01-01T00:00:00Z') })));
    for (let i = 1; i <= 11; i++) {
      const next = structuredClone(current);
      next.metadata.labels = { ...next.metadata.labels, [`l${i}`]: 'v' };
      current = stored(updateManagedFields(current, next, opts(`m${i}`, { now: at(`2024-01-01T00:00:${String(i).padStart(2, '0')}Z`) })));
    }
    const managers = (current.metadata.managedFields ?? []).map((e) => e.manager);
    assert.equal(managers.length, 10);
    assert.ok(managers.includes('ancient-changes'));
    assert.ok(!managers.includes('m0') && !managers.includes('m1'));
  });
});

describe('managerOrUserAgent', () => {
  test('prefers fieldManager, else the user agent up to the first slash', () => {
    assert.equal(managerOrUserAgent('mine', 'kubectl/v1.32.0'), 'mine');
    assert.equal(managerOrUserAgent(undefined, 'kubectl-client-side-apply/v1.32.0 (linux/amd64) kubernetes/abc'), 'kubectl-client-side-apply');
    assert.equal(managerOrUserAgent('', 'a\u0007b/1'), 'ab');
    assert.equal(managerOrUserAgent(undefined, 'x'.repeat(200)).length, 128);
    assert.equal(managerOrUserAgent(undefined, undefined), '');
  });
});
