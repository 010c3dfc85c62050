/**
 * The admission chain of creates, in upstream's order. Mutating (after defaults,
 * before the strategy's own preparation): NamespaceLifecycle and ServiceAccount for
 * pods, LimitRanger defaults, Priority, DefaultTolerationSeconds. Validating (after validation, with the final
 * name): LimitRanger constraints, PriorityClass global-default uniqueness, and
 * ResourceQuota last, since it charges usage. Updates: PriorityClass global-default
 * uniqueness. Plugins named in `disabled` are skipped.
 */
import type { LimitRange, Pod, ServiceAccount } from 'kubernetes-types/core/v1.js';
import type { PriorityClass } from 'kubernetes-types/scheduling/v1.js';
import type { KubeObject } from '../../api/object.js';
import type { GroupResource } from '../../api/status.js';
import { defaultFromLimitRanges, limitRangerHandles, validateAgainstLimitRanges } from './limitRanger.js';
import { admitPodPriority, admitPriorityClass } from './priority.js';
import { admitQuota, type QuotaAccess } from './resourceQuota.js';
import { admitPodServiceAccount } from './serviceAccount.js';
import { admitDefaultTolerationSeconds, type DefaultTolerationSecondsOptions } from './defaultTolerationSeconds.js';

/** Upstream names of the plugins this chain runs (for `--disable-admission-plugins`). */
export type AdmissionPluginName = 'ServiceAccount' | 'LimitRanger' | 'Priority' | 'DefaultTolerationSeconds' | 'ResourceQuota';

/** What the plugins read (caches) and write (quota status). */
export interface AdmissionSources {
  /** Objects of a resource in `namespace` ('' = cluster-scoped or all), as the watch cache has them. */
  cached(group: string, resource: string, namespace: string): KubeObject[];
  /** Checks the namespace may receive new content (NamespaceLifecycle); throws a StatusError. */
  admitNamespace(namespace: string, gr: GroupResource, name: string): Promise<void>;
  serviceAccount(namespace: string, name: string): Promise<ServiceAccount | undefined>;
  quotas: QuotaAccess;
}

const byName = (a: KubeObject, b: KubeObject): number => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');

/** The create admission chain of one API server. */
export class AdmissionChain {
  readonly #sources: AdmissionSources;
  readonly #disabled: ReadonlySet<string>;
  readonly #tolerationSeconds: DefaultTolerationSecondsOptions | undefined;

  constructor(sources: AdmissionSources, disabled: readonly string[] = [], tolerationSeconds?: DefaultTolerationSecondsOptions) {
    this.#sources = sources;
    this.#disabled = new Set(disabled);
    this.#tolerationSeconds = tolerationSeconds;
  }

  #on(plugin: AdmissionPluginName): boolean {
    return !this.#disabled.has(plugin);
  }

  #limitRanges(namespace: string): LimitRange[] {
    return (this.#sources.cached('', 'limitranges', namespace) as (KubeObject & LimitRange)[]).sort(byName);
  }

  #priorityClasses(): PriorityClass[] {
    return this.#sources.cached('scheduling.k8s.io', 'priorityclasses', '') as (KubeObject & PriorityClass)[];
  }

  /** Mutating admission of `obj`, a new `gr` in `namespace`; throws a StatusError to refuse it. */
  async mutate(gr: GroupResource, namespace: string, obj: KubeObject): Promise<void> {
    const isPod = gr.group === '' && gr.resource === 'pods';
    if (isPod && this.#on('ServiceAccount')) await this.#sources.admitNamespace(namespace, gr, obj.metadata.name ?? '');
    if (limitRangerHandles(gr) && this.#on('LimitRanger')) defaultFromLimitRanges(gr, obj, this.#limitRanges(namespace));
    if (isPod && this.#on('ServiceAccount')) {
      await admitPodServiceAccount(obj as unknown as Pod, namespace, { lookup: (ns, name) => this.#sources.serviceAccount(ns, name) });
    }
    if (isPod && this.#on('Priority')) admitPodPriority(obj as unknown as Pod, this.#priorityClasses());
    if (isPod && this.#on('DefaultTolerationSeconds')) admitDefaultTolerationSeconds(obj as unknown as Pod, this.#tolerationSeconds);
  }

  /** Validating admission of `obj` once it passed validation; may charge quota unless `dryRun`. */
  async validate(gr: GroupResource, namespace: string, obj: KubeObject, options: { dryRun: boolean; now: number }): Promise<void> {
    if (limitRangerHandles(gr) && this.#on('LimitRanger')) validateAgainstLimitRanges(gr, obj, this.#limitRanges(namespace));
    if (gr.group === 'scheduling.k8s.io' && gr.resource === 'priorityclasses' && this.#on('Priority')) {
      admitPriorityClass(obj as unknown as PriorityClass, this.#priorityClasses());
    }
    if (namespace !== '' && this.#on('ResourceQuota')) await admitQuota(gr, namespace, obj, this.#sources.quotas, options);
  }

  /** Validating admission of an update of `obj` (a `gr`); throws a StatusError to refuse it. */
  validateUpdate(gr: GroupResource, obj: KubeObject): void {
    if (gr.group === 'scheduling.k8s.io' && gr.resource === 'priorityclasses' && this.#on('Priority')) {
      admitPriorityClass(obj as unknown as PriorityClass, this.#priorityClasses());
    }
  }
}
