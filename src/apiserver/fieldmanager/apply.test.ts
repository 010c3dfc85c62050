import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/object.js';
import { StatusError } from '../../api/status.js';
import { deploymentSchema, podSchema } from '../patch/testing/fixture-schemas.js';
import { applyPatch, parseApplyBody } from './apply.js';
import { updateManagedFields } from './update.js';

type Obj = KubeObject & Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const T1 = new Date('2024-05-01T10:00:00.250Z');
const T2 = new Date('2024-05-01T11:00:00Z');
const deployOpts = (manager: string, extra: { force?: boolean; now?: Date } = {}) => ({
  manager,
  force: extra.force ?? false,
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  schema: deploymentSchema(),
  now: () => extra.now ?? T1,
});

function deployment(spec: Record<string, unknown>, metadata: Record<string, unknown> = {}): Obj {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'default', ...metadata }, spec };
}

/** Simulates the store: a created object gets a uid. */
function stored(obj: Obj): Obj {
  return { ...obj, metadata: { ...obj.metadata, uid: 'u1' } };
}

function statusOf(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof StatusError, `expected StatusError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected an error');
}

describe('applyPatch: create and re-apply', () => {
  test('applying to a missing object creates it, owned by the applier', () => {
    const config = deployment({ replicas: 2, template: { spec: { containers: [{ name: 'c', image: 'nginx' }] } } }, { labels: { app: 'web' } });
    const { object, changed } = applyPatch<Obj>(undefined, config, deployOpts('kubectl'));
    assert.equal(changed, true);
    assert.equal(object.spec.replicas, 2);
    assert.deepEqual(object.metadata.labels, { app: 'web' });
    const [entry, ...others] = object.metadata.managedFields ?? [];
    assert.equal(others.length, 0);
    assert.deepEqual(
      { ...entry, fieldsV1: undefined },
      { manager: 'kubectl', operation: 'Apply', apiVersion: 'apps/v1', time: '2024-05-01T10:00:00Z', fieldsType: 'FieldsV1', fieldsV1: undefined },
    );
    assert.deepEqual(entry?.fieldsV1, {
      'f:metadata': { 'f:labels': { 'f:app': {} } },
      'f:spec': {
        'f:replicas': {},
        'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"c"}': { '.': {}, 'f:image': {}, 'f:name': {} } } } },
      },
    });
  });

  test('re-applying without a field removes it, but keeps what another manager owns', () => {
    const first = stored(applyPatch<Obj>(undefined, deployment({ replicas: 2, paused: true }, { labels: { app: 'web', tier: 'x' } }), deployOpts('kubectl')).object);
    // Another writer adds an annotation and a label through an update.
    const edited = structuredClone(first);
    edited.metadata.annotations = { note: 'keep' };
    edited.metadata.labels = { ...edited.metadata.labels, team: 'ops' };
    const afterEdit = updateManagedFields(first, edited, { manager: 'kubectl-edit', apiVersion: 'apps/v1', schema: deploymentSchema(), now: () => T1 });
    const { object } = applyPatch(afterEdit, deployment({ replicas: 2 }, { labels: { app: 'web' } }), deployOpts('kubectl', { now: T2 }));
    assert.deepEqual(object.metadata.labels, { app: 'web', team: 'ops' });
    assert.deepEqual(object.metadata.annotations, { note: 'keep' });
    assert.equal('paused' in object.spec, false);
    assert.equal(object.metadata.uid, 'u1', 'identity metadata is never pruned');
    const applier = object.metadata.managedFields?.find((e) => e.manager === 'kubectl');
    assert.equal(applier?.time, '2024-05-01T11:00:00Z');
  });

  test('re-applying without a keyed list item removes only that item', () => {
    const spec = (names: string[]) => ({ template: { spec: { containers: names.map((name) => ({ name, image: 'img' })) } } });
    const first = stored(applyPatch<Obj>(undefined, deployment(spec(['a', 'b'])), deployOpts('kubectl')).object);
    const { object } = applyPatch(first, deployment(spec(['a'])), deployOpts('kubectl'));
    assert.deepEqual(object.spec.template.spec.containers, [{ name: 'a', image: 'img' }]);
  });

  test('an apply that changes nothing reports unchanged and keeps the time', () => {
    const config = deployment({ replicas: 1 });
    const first = stored(applyPatch<Obj>(undefined, config, deployOpts('kubectl')).object);
    const again = applyPatch(first, config, deployOpts('kubectl', { now: T2 }));
    assert.equal(again.changed, false);
    assert.deepEqual(again.object, first);
  });

  test('keyed list items from two appliers merge; each keeps its own', () => {
    const containers = (name: string) => deployment({ template: { spec: { containers: [{ name, image: name }] } } });
    const a = stored(applyPatch<Obj>(undefined, containers('a'), deployOpts('ma')).object);
    const both = applyPatch(a, containers('b'), deployOpts('mb')).object;
    assert.deepEqual(both.spec.template.spec.containers.map((c: Obj) => c.name), ['a', 'b']);
    const entries = both.metadata.managedFields ?? [];
    assert.deepEqual(entries.map((e) => e.manager).sort(), ['ma', 'mb']);
  });
});

describe('applyPatch: conflicts', () => {
  const base = () => stored(applyPatch<Obj>(undefined, deployment({ replicas: 1 }), deployOpts('alpha')).object);

  test('a different value for another applier\'s field is a 409 naming it', () => {
    const err = statusOf(() => applyPatch(base(), deployment({ replicas: 3 }), deployOpts('beta')));
    assert.equal(err.code, 409);
    assert.equal(err.reason, 'Conflict');
    assert.equal(err.message, 'Apply failed with 1 conflict: conflict with "alpha": .spec.replicas');
    assert.deepEqual(err.details?.causes, [{ reason: 'FieldManagerConflict', message: 'conflict with "alpha"', field: '.spec.replicas' }]);
  });

  test('update managers are named with their apiVersion; several conflicts are listed per manager', () => {
    const created = stored(
      updateManagedFields(undefined, deployment({ replicas: 1, paused: false }), { manager: 'kubectl-client-side-apply', apiVersion: 'apps/v1', schema: deploymentSchema(), now: () => T1 }),
    );
    const one = statusOf(() => applyPatch(created, deployment({ replicas: 5 }), deployOpts('beta')));
    assert.equal(one.message, 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas');
    const two = statusOf(() => applyPatch(created, deployment({ replicas: 5, paused: true }), deployOpts('beta')));
    assert.equal(
      two.message,
      'Apply failed with 2 conflicts: conflicts with "kubectl-client-side-apply" using apps/v1:\n- .spec.paused\n- .spec.replicas',
    );
  });

  test('the same value is shared ownership, not a conflict', () => {
    const { object } = applyPatch(base(), deployment({ replicas: 1 }), deployOpts('beta'));
    const owners = (object.metadata.managedFields ?? []).filter((e) => JSON.stringify(e.fieldsV1).includes('f:replicas'));
    assert.deepEqual(owners.map((e) => e.manager).sort(), ['alpha', 'beta']);
  });

  test('force takes the field over', () => {
    const { object } = applyPatch(base(), deployment({ replicas: 3 }), deployOpts('beta', { force: true }));
    assert.equal(object.spec.replicas, 3);
    const managers = (object.metadata.managedFields ?? []).map((e) => e.manager);
    assert.deepEqual(managers, ['beta'], 'alpha owned nothing else and is dropped');
  });

  test('objects without managedFields are owned by before-first-apply', () => {
    const untracked = stored(deployment({ replicas: 1 }));
    const err = statusOf(() => applyPatch(untracked, deployment({ replicas: 2 }), deployOpts('beta')));
    assert.equal(err.message, 'Apply failed with 1 conflict: conflict with "before-first-apply" using apps/v1: .spec.replicas');
  });
});

describe('applyPatch: request checks and body parsing', () => {
  test('the applied object must have the endpoint\'s apiVersion and kind and no managedFields', () => {
    const wrongKind = statusOf(() => applyPatch<Obj>(undefined, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'd' } }, deployOpts('m')));
    assert.equal(wrongKind.code, 400);
    assert.equal(wrongKind.message, 'invalid object type: /v1, Kind=Pod');
    const withManaged = statusOf(() => applyPatch<Obj>(undefined, deployment({}, { managedFields: [] }), deployOpts('m')));
    assert.equal(withManaged.message, 'metadata.managedFields must be nil');
  });

  test('duplicate keys in the applied configuration are a 400', () => {
    const dup = deployment({ template: { spec: { containers: [{ name: 'a' }, { name: 'a' }] } } });
    assert.equal(statusOf(() => applyPatch<Obj>(undefined, dup, deployOpts('m'))).code, 400);
  });

  test('parses YAML and JSON bodies; rejects non-objects', () => {
    const yaml = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  creationTimestamp: null\nspec:\n  containers:\n  - name: c\n    image: nginx\n';
    const parsed = parseApplyBody(yaml);
    assert.equal(parsed.kind, 'Pod');
    const { object } = applyPatch<Obj>(undefined, parsed, { manager: 'm', force: false, apiVersion: 'v1', kind: 'Pod', schema: podSchema(), now: () => T1 });
    assert.equal('creationTimestamp' in object.metadata, false, 'null fields are not stored');
    assert.deepEqual(parseApplyBody('{"a": 1}'), { a: 1 });
    assert.equal(statusOf(() => parseApplyBody('- 1')).code, 400);
    assert.equal(statusOf(() => parseApplyBody('a: [')).code, 400);
  });
});

describe('applyPatch: hand-over from client-side apply', () => {
  const LAST = 'kubectl.kubernetes.io/last-applied-configuration';
  function clientSideApplied(replicas: number): Obj {
    const config = deployment({ replicas });
    const withAnnotation = structuredClone(config);
    withAnnotation.metadata.annotations = { [LAST]: JSON.stringify(config) };
    return stored(updateManagedFields(undefined, withAnnotation, { manager: 'kubectl-client-side-apply', apiVersion: 'apps/v1', schema: deploymentSchema(), now: () => T1 }));
  }

  test('kubectl takes over fields still matching the last-applied annotation, and rewrites it', () => {
    const { object } = applyPatch(clientSideApplied(1), deployment({ replicas: 4 }), deployOpts('kubectl'));
    assert.equal(object.spec.replicas, 4);
    const annotation = object.metadata.annotations?.[LAST] ?? '';
    assert.ok(annotation.endsWith('\n'));
    assert.equal(JSON.parse(annotation).spec.replicas, 4);
  });

  test('fields changed since the last client-side apply still conflict; other managers get no hand-over', () => {
    const live = clientSideApplied(1);
    const drifted = structuredClone(live);
    drifted.spec.replicas = 2;
    const edited = stored(updateManagedFields(live, drifted, { manager: 'kubectl-client-side-apply', apiVersion: 'apps/v1', schema: deploymentSchema(), now: () => T1 }));
    assert.equal(statusOf(() => applyPatch(edited, deployment({ replicas: 4 }), deployOpts('kubectl'))).code, 409);
    assert.equal(statusOf(() => applyPatch(live, deployment({ replicas: 4 }), deployOpts('other'))).code, 409);
  });
});

describe('applyPatch: sets and maps', () => {
  test('set items (finalizers) are owned per value by each applier', () => {
    const fin = (values: string[]): Obj => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', finalizers: values } });
    const a = stored(applyPatch<Obj>(undefined, fin(['a.example/x']), deployOpts('ma')).object);
    const both = stored(applyPatch(a, fin(['b.example/y']), deployOpts('mb')).object);
    assert.deepEqual(both.metadata.finalizers, ['a.example/x', 'b.example/y']);
    const mb = both.metadata.managedFields?.find((e) => e.manager === 'mb');
    assert.deepEqual(mb?.fieldsV1, { 'f:metadata': { 'f:finalizers': { 'v:"b.example/y"': {} } } });
    const dropped = applyPatch(both, fin([]), deployOpts('ma')).object;
    assert.deepEqual(dropped.metadata.finalizers, ['b.example/y']);
  });

  test('atomic maps (selector) are replaced whole and owned as one field', () => {
    const sel = (labels: Record<string, string>) => deployment({ selector: { matchLabels: labels } });
    const first = stored(applyPatch<Obj>(undefined, sel({ a: '1', b: '2' }), deployOpts('m')).object);
    const { object } = applyPatch(first, sel({ c: '3' }), deployOpts('m'));
    assert.deepEqual(object.spec.selector, { matchLabels: { c: '3' } });
    assert.deepEqual(object.metadata.managedFields?.[0]?.fieldsV1, { 'f:spec': { 'f:selector': {} } });
  });
});
