/**
 * The framework runner for one profile (upstream frameworkImpl): builds the profile's
 * plugins and runs them at each extension point with upstream's rules: PreFilter may
 * narrow the nodes or skip a plugin's Filter, Filter stops at the first rejecting
 * plugin, Score results are normalized, weighted and summed, Reserve is undone in
 * reverse order, Bind stops at the first plugin that does not skip.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { CycleState, StateData } from './cycleState.js';
import type {
  BindPlugin,
  ClusterEvent,
  EnqueueExtensions,
  FilterPlugin,
  NodeInfo,
  NodeScore,
  Plugin,
  PodInfo,
  PostFilterPlugin,
  PreBindPlugin,
  PreFilterOutcome,
  PreFilterPlugin,
  PreScorePlugin,
  QueueSortPlugin,
  ReservePlugin,
  ScorePlugin,
} from './interface.js';
import type { Profile, SchedulerHandle } from './profile.js';
import { errorStatus, fromPlugin, isSuccess, type Status, success, unresolvable } from './status.js';

const has = <T extends Plugin>(plugin: Plugin, method: keyof T): plugin is T => typeof (plugin as unknown as Record<string, unknown>)[method as string] === 'function';

/** Plugin names whose Filter (or Score) is skipped this cycle, kept in the CycleState. */
class SkippedPlugins implements StateData {
  constructor(readonly names: ReadonlySet<string>) {}
  clone(): SkippedPlugins {
    return this;
  }
}

const SKIP_FILTER = 'framework/skipFilter';
const SKIP_SCORE = 'framework/skipScore';

function guard<T>(plugin: string, run: () => T, onError: (message: string) => T): T {
  try {
    return run();
  } catch (err) {
    return onError(`running ${plugin}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** What PreFilter decided for the cycle. */
export interface PreFilterResult {
  readonly status: Status;
  /** The only nodes worth filtering (undefined: all). */
  readonly nodeNames?: ReadonlySet<string>;
  /** The plugins that narrowed the nodes (for the "didn't satisfy plugin(s)" reason). */
  readonly narrowedBy: readonly string[];
}

/** See the module comment. */
export class Framework {
  readonly profile: Profile;
  readonly queueSort: QueueSortPlugin;
  readonly plugins: readonly Plugin[];
  /** For each plugin implementing EnqueueExtensions, the events it registered. */
  readonly eventsByPlugin: ReadonlyMap<string, readonly ClusterEvent[]>;
  readonly #preFilter: PreFilterPlugin[];
  readonly #filter: FilterPlugin[];
  readonly #postFilter: PostFilterPlugin[];
  readonly #preScore: PreScorePlugin[];
  readonly #score: Array<{ plugin: ScorePlugin; weight: number }>;
  readonly #reserve: ReservePlugin[];
  readonly #preBind: PreBindPlugin[];
  readonly #bind: BindPlugin[];

  constructor(profile: Profile, handle: SchedulerHandle) {
    this.profile = profile;
    const built = profile.plugins.map((p) => ({ plugin: p.factory(handle), weight: p.scoreWeight ?? 1 }));
    this.plugins = built.map((b) => b.plugin);
    const sorts = this.plugins.filter((p) => has<QueueSortPlugin>(p, 'less'));
    if (sorts.length !== 1) throw new Error(`profile ${profile.schedulerName} needs exactly one QueueSort plugin (has ${sorts.length})`);
    this.queueSort = sorts[0] as QueueSortPlugin;
    this.#preFilter = this.plugins.filter((p) => has<PreFilterPlugin>(p, 'preFilter'));
    this.#filter = this.plugins.filter((p) => has<FilterPlugin>(p, 'filter'));
    this.#postFilter = this.plugins.filter((p) => has<PostFilterPlugin>(p, 'postFilter'));
    this.#preScore = this.plugins.filter((p) => has<PreScorePlugin>(p, 'preScore'));
    this.#score = built.filter((b) => has<ScorePlugin>(b.plugin, 'score')).map((b) => ({ plugin: b.plugin as ScorePlugin, weight: b.weight }));
    this.#reserve = this.plugins.filter((p) => has<ReservePlugin>(p, 'reserve'));
    this.#preBind = this.plugins.filter((p) => has<PreBindPlugin>(p, 'preBind'));
    this.#bind = this.plugins.filter((p) => has<BindPlugin>(p, 'bind'));
    const events = new Map<string, readonly ClusterEvent[]>();
    for (const p of this.plugins) if (has<EnqueueExtensions>(p, 'eventsToRegister')) events.set(p.name, p.eventsToRegister());
    this.eventsByPlugin = events;
  }

  /** Whether any plugin scores (else the first feasible node is taken). */
  hasScorePlugins(): boolean {
    return this.#score.length > 0;
  }

  /** Whether any PostFilter plugin runs. */
  hasPostFilterPlugins(): boolean {
    return this.#postFilter.length > 0;
  }

  /** Runs PreFilter; a rejection stops there. Skipped plugins are remembered for Filter. */
  runPreFilter(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): PreFilterResult {
    const skipped = new Set<string>();
    let nodeNames: Set<string> | undefined;
    const narrowedBy: string[] = [];
    for (const plugin of this.#preFilter) {
      const outcome: PreFilterOutcome = guard(plugin.name, () => plugin.preFilter(state, pod, nodes), (m) => ({ status: errorStatus(m) }));
      if (outcome.status.code === 'Skip') {
        skipped.add(plugin.name);
        continue;
      }
      if (!isSuccess(outcome.status)) return { status: fromPlugin(outcome.status, plugin.name), narrowedBy };
      if (outcome.nodeNames !== undefined) {
        narrowedBy.push(plugin.name);
        nodeNames = nodeNames === undefined ? new Set(outcome.nodeNames) : new Set([...nodeNames].filter((n) => outcome.nodeNames?.has(n)));
        if (nodeNames.size === 0) {
          return { status: unresolvable(`node(s) didn't satisfy plugin(s) [${narrowedBy.join(' ')}]`), narrowedBy };
        }
      }
    }
    state.write(SKIP_FILTER, new SkippedPlugins(skipped));
    return nodeNames === undefined ? { status: success(), narrowedBy } : { status: success(), nodeNames, narrowedBy };
  }

  /** Runs Filter on one node: the first plugin that does not pass decides. */
  runFilters(state: CycleState, pod: Pod, node: NodeInfo): Status {
    const skipped = state.read<SkippedPlugins>(SKIP_FILTER)?.names;
    for (const plugin of this.#filter) {
      if (skipped?.has(plugin.name)) continue;
      const status = guard(plugin.name, () => plugin.filter(state, pod, node), errorStatus);
      if (!isSuccess(status)) return fromPlugin(status, plugin.name);
    }
    return success();
  }

  /** Runs every PreFilter plugin's addPod (preemption's what-if). */
  runAddPod(state: CycleState, pod: Pod, added: PodInfo, node: NodeInfo): Status {
    const skipped = state.read<SkippedPlugins>(SKIP_FILTER)?.names;
    for (const plugin of this.#preFilter) {
      if (skipped?.has(plugin.name) || plugin.addPod === undefined) continue;
      const status = plugin.addPod(state, pod, added, node);
      if (!isSuccess(status)) return fromPlugin(status, plugin.name);
    }
    return success();
  }

  /** Runs every PreFilter plugin's removePod (preemption's what-if). */
  runRemovePod(state: CycleState, pod: Pod, removed: PodInfo, node: NodeInfo): Status {
    const skipped = state.read<SkippedPlugins>(SKIP_FILTER)?.names;
    for (const plugin of this.#preFilter) {
      if (skipped?.has(plugin.name) || plugin.removePod === undefined) continue;
      const status = plugin.removePod(state, pod, removed, node);
      if (!isSuccess(status)) return fromPlugin(status, plugin.name);
    }
    return success();
  }

  /** Runs PostFilter plugins until one succeeds (upstream: the first success or unschedulable-and-unresolvable ends it). */
  async runPostFilter(state: CycleState, pod: Pod, rejections: ReadonlyMap<string, Status>, signal: AbortSignal): Promise<{ status: Status; nominatedNodeName?: string }> {
    let last: { status: Status; nominatedNodeName?: string } = { status: unresolvable() };
    const messages: string[] = [];
    for (const plugin of this.#postFilter) {
      try {
        last = await plugin.postFilter(state, pod, rejections, signal);
      } catch (err) {
        return { status: fromPlugin(errorStatus(err instanceof Error ? err.message : String(err)), plugin.name) };
      }
      last = { ...last, status: fromPlugin(last.status, plugin.name) };
      if (isSuccess(last.status) || last.status.code === 'UnschedulableAndUnresolvable' || last.status.code === 'Error') return last;
      messages.push(...last.status.reasons);
    }
    return { ...last, status: { ...last.status, reasons: messages } };
  }

  /** Runs PreScore; skipped plugins are remembered for Score. */
  runPreScore(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): Status {
    const skipped = new Set<string>();
    for (const plugin of this.#preScore) {
      const status = guard(plugin.name, () => plugin.preScore(state, pod, nodes), errorStatus);
      if (status.code === 'Skip') skipped.add(plugin.name);
      else if (!isSuccess(status)) return fromPlugin(status, plugin.name);
    }
    state.write(SKIP_SCORE, new SkippedPlugins(skipped));
    return success();
  }

  /** Scores every node: each plugin's scores normalized, times its weight, summed (same order as `nodes`). */
  runScore(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): number[] {
    const skipped = state.read<SkippedPlugins>(SKIP_SCORE)?.names;
    const totals: number[] = new Array<number>(nodes.length).fill(0);
    for (const { plugin, weight } of this.#score) {
      if (skipped?.has(plugin.name)) continue;
      const scores: NodeScore[] = nodes.map((n) => ({ name: n.name, score: plugin.score(state, pod, n) }));
      plugin.normalizeScores?.(state, pod, scores);
      for (let i = 0; i < scores.length; i++) totals[i] = (totals[i] ?? 0) + (scores[i]?.score ?? 0) * weight;
    }
    return totals;
  }

  /** Runs Reserve; on failure the plugins reserved so far are unreserved and the failure returned. */
  async runReserve(state: CycleState, pod: Pod, nodeName: string): Promise<Status> {
    for (const plugin of this.#reserve) {
      let status: Status;
      try {
        status = await plugin.reserve(state, pod, nodeName);
      } catch (err) {
        status = errorStatus(err instanceof Error ? err.message : String(err));
      }
      if (!isSuccess(status)) return fromPlugin(status, plugin.name);
    }
    return success();
  }

  /** Runs every Reserve plugin's unreserve, in reverse order. */
  async runUnreserve(state: CycleState, pod: Pod, nodeName: string): Promise<void> {
    for (const plugin of [...this.#reserve].reverse()) {
      await plugin.unreserve(state, pod, nodeName).catch(() => undefined);
    }
  }

  /** Runs PreBind; the first failure stops. */
  async runPreBind(state: CycleState, pod: Pod, nodeName: string, signal: AbortSignal): Promise<Status> {
    for (const plugin of this.#preBind) {
      const status = await plugin.preBind(state, pod, nodeName, signal).catch((err: unknown) => errorStatus(err instanceof Error ? err.message : String(err)));
      if (!isSuccess(status) && status.code !== 'Skip') return fromPlugin(status, plugin.name);
    }
    return success();
  }

  /** Runs Bind plugins until one does not skip. */
  async runBind(state: CycleState, pod: Pod, nodeName: string, signal: AbortSignal): Promise<Status> {
    for (const plugin of this.#bind) {
      const status = await plugin.bind(state, pod, nodeName, signal).catch((err: unknown) => errorStatus(err instanceof Error ? err.message : String(err)));
      if (status.code === 'Skip') continue;
      return fromPlugin(status, plugin.name);
    }
    return errorStatus('no bind plugin bound the pod');
  }
}
