/**
 * The tokens controller (upstream's legacy service-account token controller, which
 * still serves manually created token Secrets): a `kubernetes.io/service-account-token`
 * Secret naming an existing ServiceAccount (annotation
 * `kubernetes.io/service-account.name`, optionally `.uid`) gets a signed legacy
 * token, the cluster CA and its namespace in `data`, and the account's uid
 * annotation; a token Secret whose account does not exist (or has another uid) is
 * deleted, also when the account is deleted later.
 */
import type { Secret } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import { isStatusReason } from '../../api/status.js';
import { legacyClaims } from '../../api/serviceaccount/claims.js';
import { tokenKeys, type TokenKeys } from '../../api/serviceaccount/tokenSigner.js';
import { deletedObject, splitKey } from '../../client/index.js';
import type { SharedInformer } from '../../client/index.js';
import type { Controller, ControllerContext, ControllerDescriptor } from '../controller.js';
import { WorkLoop } from '../workLoop.js';

/** The Secret type of legacy service-account tokens. */
export const SERVICE_ACCOUNT_TOKEN_TYPE = 'kubernetes.io/service-account-token';
const NAME_ANNOTATION = 'kubernetes.io/service-account.name';
const UID_ANNOTATION = 'kubernetes.io/service-account.uid';

const base64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
const decoded = (value: string | undefined): string | undefined => (value === undefined ? undefined : Buffer.from(value, 'base64').toString('utf8'));

/** The tokens controller; see the module comment. */
export class TokensController implements Controller {
  readonly #secrets: SharedInformer<KubeObject>;
  readonly #accounts: SharedInformer<KubeObject>;
  readonly #loop: WorkLoop;
  readonly #context: ControllerContext;
  readonly #keys: TokenKeys;
  readonly #rootCaPem: string | undefined;

  constructor(context: ControllerContext, keys: TokenKeys) {
    this.#context = context;
    this.#keys = keys;
    this.#rootCaPem = context.rootCaPem;
    this.#secrets = context.informers.informerFor({ group: '', version: 'v1', resource: 'secrets' }, { fieldSelector: `type=${SERVICE_ACCOUNT_TOKEN_TYPE}` });
    this.#accounts = context.informers.informerFor({ group: '', version: 'v1', resource: 'serviceaccounts' });
    this.#loop = new WorkLoop({ clock: context.clock, informers: [this.#secrets, this.#accounts], sync: (key, signal) => this.sync(key, signal), log: context.log });
    const enqueue = (secret: KubeObject): void => this.#loop.enqueue(`${secret.metadata.namespace ?? ''}/${secret.metadata.name ?? ''}`);
    this.#secrets.addEventHandler({ onAdd: enqueue, onUpdate: (_old, secret) => enqueue(secret) });
    this.#accounts.addEventHandler({
      onDelete: (gone) => {
        const account = deletedObject(gone);
        for (const secret of this.#secrets.lister.namespace(account.metadata.namespace ?? '').list()) {
          if (secret.metadata.annotations?.[NAME_ANNOTATION] === account.metadata.name) enqueue(secret);
        }
      },
    });
  }

  /** The account a token Secret names, from the cache or (on a miss) the API. */
  async #account(namespace: string, name: string, signal?: AbortSignal): Promise<KubeObject | undefined> {
    const cached = this.#accounts.lister.get(name, namespace);
    if (cached !== undefined) return cached;
    try {
      return await this.#context.client.get({ group: '', version: 'v1', resource: 'serviceaccounts', namespace }, name, { signal });
    } catch (err) {
      if (isStatusReason(err, 'NotFound')) return undefined;
      throw err;
    }
  }

  /** Fills in or deletes the token Secret `namespace/name`. */
  async sync(key: string, signal?: AbortSignal): Promise<void> {
    const { namespace, name } = splitKey(key);
    const secret = this.#secrets.lister.get(name, namespace) as (KubeObject & Secret) | undefined;
    if (secret === undefined || secret.metadata.deletionTimestamp !== undefined) return;
    const target = { group: '', version: 'v1', resource: 'secrets', namespace };
    const accountName = secret.metadata.annotations?.[NAME_ANNOTATION] ?? '';
    const wantedUid = secret.metadata.annotations?.[UID_ANNOTATION];
    const account = await this.#account(namespace, accountName, signal);
    if (account === undefined || (wantedUid !== undefined && wantedUid !== '' && wantedUid !== account.metadata.uid)) {
      try {
        await this.#context.client.delete(target, name, { signal, preconditions: { uid: secret.metadata.uid ?? '' } });
      } catch (err) {
        if (!isStatusReason(err, 'NotFound') && !isStatusReason(err, 'Conflict')) throw err;
      }
      return;
    }
    const data = { ...(secret.data ?? {}) };
    let changed = false;
    const set = (field: string, value: string): void => {
      if (decoded(data[field]) === value) return;
      data[field] = base64(value);
      changed = true;
    };
    if (this.#rootCaPem !== undefined) set('ca.crt', this.#rootCaPem);
    set('namespace', namespace);
    if (!data.token) {
      data.token = base64(await this.#keys.sign({ ...legacyClaims(namespace, name, { name: accountName, uid: account.metadata.uid ?? '' }) }));
      changed = true;
    }
    if (!changed && wantedUid === account.metadata.uid) return;
    const updated = structuredClone(secret);
    updated.data = data;
    updated.metadata.annotations = { ...updated.metadata.annotations, [UID_ANNOTATION]: account.metadata.uid ?? '' };
    try {
      await this.#context.client.update(target, updated, { signal });
    } catch (err) {
      // Deleted meanwhile: nothing left to fill in. A conflict is retried with the newer copy.
      if (!isStatusReason(err, 'NotFound')) throw err;
    }
  }

  run(signal: AbortSignal): Promise<void> {
    return this.#loop.run(signal);
  }
}

/** The tokens controller as the manager builds it; it runs only when the manager has the signing key. */
export const tokensControllerDescriptor: ControllerDescriptor = {
  name: 'serviceaccount-token',
  create: (context) => {
    const keyPem = context.serviceAccountKeyPem;
    if (keyPem === undefined) return { run: async () => context.log('no service-account key configured; not filling in token Secrets') };
    return new TokensController(context, tokenKeys(keyPem));
  },
};
