/**
 * The controller manager over a real API server (in process, memory store): one
 * shared informer factory, controllers started and stopped together, failures named.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../src/client/index.js';
import type { InformerFactory } from '../../src/client/index.js';
import type { ControllerDescriptor } from '../../src/controllers/controller.js';
import { ControllerManager } from '../../src/controllers/manager.js';
import { connect, type ConnectedClient } from '../support/apiClient.js';
import { startInProcessApi, type InProcessApi } from '../support/inProcessApi.js';
import { waitUntil } from '../support/poll.js';

const configmaps = { group: '', version: 'v1', resource: 'configmaps' };

/** A controller that records its life: built, cache synced, stopped. */
function recorder(name: string, events: string[], factories: InformerFactory[]): ControllerDescriptor {
  return {
    name,
    create(context) {
      factories.push(context.informers);
      const informer = context.informers.informerFor(configmaps);
      events.push(`${name} built`);
      return {
        async run(signal) {
          if (await informer.waitForSync(signal)) events.push(`${name} synced`);
          await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
          events.push(`${name} stopped`);
        },
      };
    },
  };
}

describe('ControllerManager', () => {
  let api: InProcessApi;
  let connected: ConnectedClient;
  before(async () => {
    api = await startInProcessApi();
    connected = connect(api);
  });
  after(async () => {
    connected.close();
    await api.stop();
  });

  test('builds every controller over one informer factory, runs them, and stop waits for all of them', async () => {
    const events: string[] = [];
    const factories: InformerFactory[] = [];
    const manager = new ControllerManager({ client: connected.client, clock: new FakeClock(), controllers: [recorder('a', events, factories), recorder('b', events, factories)] });
    manager.start();
    assert.deepEqual(events, ['a built', 'b built']);
    assert.equal(factories[0], factories[1], 'one shared factory');
    await waitUntil('both synced', () => events.length === 4);
    await manager.stop();
    assert.deepEqual(events, ['a built', 'b built', 'a synced', 'b synced', 'a stopped', 'b stopped']);
    assert.throws(() => manager.start(), /already started/);
  });

  test('a controller that fails is reported by name; the others keep running until stopped', async () => {
    const events: string[] = [];
    const logs: string[] = [];
    const failing: ControllerDescriptor = {
      name: 'broken',
      create: (context) => ({
        run: async () => {
          context.log('about to fail');
          throw new Error('boom');
        },
      }),
    };
    const manager = new ControllerManager({
      client: connected.client,
      clock: new FakeClock(),
      controllers: [failing, recorder('ok', events, [])],
      log: (m) => logs.push(m),
    });
    manager.start();
    await waitUntil('ok synced', () => events.includes('ok synced'));
    assert.deepEqual(logs, ['broken controller: about to fail', 'broken controller stopped: boom']);
    await manager.stop();
    assert.deepEqual(events, ['ok built', 'ok synced', 'ok stopped']);
  });
});
