/**
 * Pod IPs of a simulated node: host addresses .1–.254 of its /24, handed out in
 * order and reused once released. Addresses are only written into pod status, never
 * configured anywhere.
 */

/** Hands out one address per pod uid. */
export class PodIPAllocator {
  readonly #prefix: string;
  readonly #byUid = new Map<string, number>();
  #next = 1;

  /** `cidr` is a /24 such as 198.18.250.0/24; throws on anything else. */
  constructor(cidr: string) {
    const match = /^(\d{1,3}\.\d{1,3}\.\d{1,3})\.0\/24$/.exec(cidr);
    if (match?.[1] === undefined) throw new Error(`simulated node pod CIDR must be a /24, got ${JSON.stringify(cidr)}`);
    this.#prefix = match[1];
  }

  /** The address of pod `uid`, allocating a free one the first time (the next in order when all 254 are taken). */
  allocate(uid: string): string {
    let host = this.#byUid.get(uid);
    if (host === undefined) {
      const used = new Set(this.#byUid.values());
      host = this.#next;
      for (let tries = 0; tries < 254 && used.has(host); tries++) host = (host % 254) + 1;
      this.#next = (host % 254) + 1;
      this.#byUid.set(uid, host);
    }
    return `${this.#prefix}.${host}`;
  }

  /** Frees pod `uid`'s address. */
  release(uid: string): void {
    this.#byUid.delete(uid);
  }
}
