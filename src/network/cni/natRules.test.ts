import { test } from 'node:test';
import assert from 'node:assert/strict';
import { natCleanupScript } from './natRules.js';

const OURS = 'aaaa1111';
const OTHER = 'bbbb2222';
const DUMP = [
  '*nat',
  ':POSTROUTING ACCEPT [0:0]',
  ':CNI-1a2b - [0:0]',
  ':CNI-DN-3c4d - [0:0]',
  ':CNI-9z9z - [0:0]',
  `-A POSTROUTING -s 198.18.5.2/32 -m comment --comment "name: \\"k8ts\\" id: \\"${OURS}\\"" -j CNI-1a2b`,
  `-A POSTROUTING -s 198.18.6.2/32 -m comment --comment "name: \\"k8ts\\" id: \\"${OTHER}\\"" -j CNI-9z9z`,
  `-A CNI-1a2b -d 198.18.5.0/24 -m comment --comment "name: \\"k8ts\\" id: \\"${OURS}\\"" -j ACCEPT`,
  `-A CNI-HOSTPORT-DNAT -p tcp -m comment --comment "dnat name: \\"k8ts\\" id: \\"${OURS}\\"" -m multiport --dports 8080 -j CNI-DN-3c4d`,
  `-A POSTROUTING -s 10.88.0.2/32 -m comment --comment "name: \\"podman\\" id: \\"${OURS}\\"" -j CNI-7x7x`,
  'COMMIT',
].join('\n');

test('the cleanup removes our sandboxes\' masquerade and hostPort rules and their chains, nothing else', () => {
  const script = natCleanupScript(DUMP, 'k8ts', new Set([OURS]));
  assert.equal(script, [
    '*nat',
    `-D POSTROUTING -s 198.18.5.2/32 -m comment --comment "name: \\"k8ts\\" id: \\"${OURS}\\"" -j CNI-1a2b`,
    `-D CNI-1a2b -d 198.18.5.0/24 -m comment --comment "name: \\"k8ts\\" id: \\"${OURS}\\"" -j ACCEPT`,
    `-D CNI-HOSTPORT-DNAT -p tcp -m comment --comment "dnat name: \\"k8ts\\" id: \\"${OURS}\\"" -m multiport --dports 8080 -j CNI-DN-3c4d`,
    '-F CNI-1a2b',
    '-F CNI-DN-3c4d',
    '-X CNI-1a2b',
    '-X CNI-DN-3c4d',
    'COMMIT',
    '',
  ].join('\n'));
});

test('no script when none of the sandboxes has rules left', () => {
  assert.equal(natCleanupScript(DUMP, 'k8ts', new Set(['cccc3333'])), undefined);
});
