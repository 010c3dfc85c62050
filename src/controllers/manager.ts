/**
 * The controller manager: builds controllers over one shared InformerFactory and
 * client, starts the informers they asked for, runs every controller until stopped,
 * and on `stop` waits until every controller and informer has wound down (no request,
 * watch or timer left behind). Controllers reach the API only through the client.
 */
import { setMaxListeners } from 'node:events';
import { InformerFactory, realClock } from '../client/index.js';
import type { Clock, RestClient } from '../client/index.js';
import type { ControllerContext, ControllerDescriptor, ControllerSettings } from './controller.js';

/** What the manager runs, and with what. */
export interface ControllerManagerOptions {
  client: RestClient;
  controllers: readonly ControllerDescriptor[];
  clock?: Clock;
  /** Where controllers' and informers' problems go (default: stderr). */
  log?: (message: string) => void;
  /** The cluster CA (PEM) handed to controllers (upstream `--root-ca-file`). */
  rootCaPem?: string;
  /** The service-account signing key (PKCS#8 PEM) handed to controllers. */
  serviceAccountKeyPem?: string;
  /** Per-controller settings handed to controllers. */
  settings?: ControllerSettings;
}

const stderrLog = (message: string): void => {
  process.stderr.write(`${message}\n`);
};

/** Runs a set of controllers; `start` once, then `stop` once. */
export class ControllerManager {
  readonly #options: ControllerManagerOptions;
  readonly #abort = new AbortController();
  #running: Promise<void>[] = [];
  #informers: InformerFactory | undefined;

  constructor(options: ControllerManagerOptions) {
    this.#options = options;
  }

  /** Builds every controller, starts the informers they requested and runs them (returns at once). */
  start(): void {
    if (this.#informers !== undefined) throw new Error('controller manager already started');
    const { client, controllers } = this.#options;
    const clock = this.#options.clock ?? realClock;
    const log = this.#options.log ?? stderrLog;
    const signal = this.#abort.signal;
    // Every request of every controller listens to this one signal.
    setMaxListeners(0, signal);
    const informers = new InformerFactory(client, {
      clock,
      onError: (err, context) => {
        if (!signal.aborted) log(`informer: ${context}: ${err instanceof Error ? err.message : String(err)}`);
      },
    });
    this.#informers = informers;
    const started = controllers.map((descriptor) => {
      const context: ControllerContext = { client, informers, clock, log: (message) => log(`${descriptor.name} controller: ${message}`) };
      if (this.#options.rootCaPem !== undefined) context.rootCaPem = this.#options.rootCaPem;
      if (this.#options.serviceAccountKeyPem !== undefined) context.serviceAccountKeyPem = this.#options.serviceAccountKeyPem;
      if (this.#options.settings !== undefined) context.settings = this.#options.settings;
      return { descriptor, controller: descriptor.create(context) };
    });
    informers.start(signal);
    this.#running = started.map(({ descriptor, controller }) =>
      controller.run(signal).catch((err: unknown) => log(`${descriptor.name} controller stopped: ${err instanceof Error ? err.message : String(err)}`)),
    );
  }

  /** Stops every controller and informer; resolves once all have stopped. */
  async stop(): Promise<void> {
    this.#abort.abort();
    await Promise.all(this.#running);
    await this.#informers?.stopped();
  }
}
