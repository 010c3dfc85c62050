/**
 * pods/log end to end: a real ApiServer proxies to the kubelet streaming server, which
 * reads the CRI log files of containers run by a real containerd.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ContainerConfig, PodSandboxConfig } from '../../src/runtime/cri/types.js';
import { busyboxContainer, runContainer, sandboxConfig, waitForExit } from '../../src/runtime/testing/pods.js';
import { startTestContainerd, type TestContainerd } from '../../src/runtime/testing/testContainerd.js';
import type { InProcessApi } from '../support/inProcessApi.js';
import { startStreamingSetup, type StreamingSetup } from './streamingSetup.js';

describe('pods/log through the kubelet streaming server', () => {
  let node: TestContainerd;
  let setup: StreamingSetup;
  let api: InProcessApi;

  before(async () => {
    node = await startTestContainerd();
    setup = await startStreamingSetup(node.cri);
    api = setup.api;
  });
  after(async () => {
    await setup?.stop();
    await node?.stop();
  });

  /** Runs a busybox container for pod `pod` (container `name`) labelled as the kubelet labels it. */
  async function runPodContainer(pod: string, name: string, script: string): Promise<string> {
    const sandbox: PodSandboxConfig = { ...sandboxConfig(pod, `${node.dataDir}/logs/${pod}`, true), labels: setup.podLabels(pod) };
    const sandboxId = await node.cri.runPodSandbox(sandbox);
    const container: ContainerConfig = { ...busyboxContainer(name, ['sh', '-c', script]), labels: setup.containerLabels(pod, name) };
    return runContainer(node.cri, sandboxId, sandbox, container);
  }

  it('returns the output of the only container, tailed and timestamped on request', async () => {
    await setup.createPod('logs', ['main']);
    const id = await runPodContainer('logs', 'main', 'echo one; sleep 0.2; echo two >&2; sleep 0.2; printf thr; sleep 0.2; echo ee');
    await waitForExit(node.cri, id);
    const all = await api.request('GET', '/api/v1/namespaces/default/pods/logs/log');
    assert.equal(all.status, 200);
    assert.equal(all.text, 'one\ntwo\nthree\n');
    const tail = await api.request('GET', '/api/v1/namespaces/default/pods/logs/log?tailLines=1');
    assert.equal(tail.text, 'three\n');
    const stamped = await api.request('GET', '/api/v1/namespaces/default/pods/logs/log?timestamps=true&container=main');
    assert.match(stamped.text, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+(Z|[+-]\d\d:\d\d) one\n/);
    const limited = await api.request('GET', '/api/v1/namespaces/default/pods/logs/log?limitBytes=5');
    assert.equal(limited.text, 'one\nt');
  });

  it('follows the log until the container exits', async () => {
    await setup.createPod('follow', ['main']);
    await runPodContainer('follow', 'main', 'echo start; sleep 1; echo middle; sleep 1; echo end');
    const followed = await api.request('GET', '/api/v1/namespaces/default/pods/follow/log?follow=true');
    assert.equal(followed.status, 200);
    assert.equal(followed.text, 'start\nmiddle\nend\n');
  });

  it('answers as upstream for unbound pods, ambiguous and unknown containers', async () => {
    await setup.createPod('unbound', ['main'], { bound: false });
    const unbound = await api.request('GET', '/api/v1/namespaces/default/pods/unbound/log');
    assert.equal(unbound.status, 400);
    assert.equal(unbound.body.message, 'pod unbound does not have a host assigned');
    await setup.createPod('two', ['a', 'b']);
    const ambiguous = await api.request('GET', '/api/v1/namespaces/default/pods/two/log');
    assert.equal(ambiguous.status, 400);
    assert.equal(ambiguous.body.message, 'a container name must be specified for pod two, choose one of: [a b]');
    const unknown = await api.request('GET', '/api/v1/namespaces/default/pods/two/log?container=c');
    assert.equal(unknown.body.message, 'container c is not valid for pod two');
    const notRunYet = await api.request('GET', '/api/v1/namespaces/default/pods/two/log?container=a');
    assert.equal(notRunYet.status, 404);
    assert.equal(notRunYet.body.message, 'container "a" in pod "two" not found');
  });

  it('lists the connect subresources in discovery', async () => {
    const list = await api.request('GET', '/api/v1');
    const names = (list.body.resources as { name: string; verbs: string[] }[]).filter((r) => r.name.startsWith('pods/'));
    assert.deepEqual(
      names.filter((r) => ['pods/exec', 'pods/log', 'pods/attach', 'pods/portforward'].includes(r.name)).map((r) => [r.name, r.verbs]),
      [['pods/attach', ['create', 'get']], ['pods/exec', ['create', 'get']], ['pods/log', ['get']], ['pods/portforward', ['create', 'get']]],
    );
  });
});
