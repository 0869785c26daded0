/**
 * A bounded set of recently seen keys (oldest evicted first). The worker uses it only to word
 * a violation precisely ("duplicate reply", "progress after the reply"); memory stays bounded
 * however many calls a long-lived worker serves.
 */
export class RecentKeys<K> {
  readonly #keys = new Set<K>();

  constructor(private readonly capacity = 1024) {}

  /** Remembers `key`, forgetting the oldest one past the capacity. */
  add(key: K): void {
    this.#keys.delete(key);
    this.#keys.add(key);
    if (this.#keys.size > this.capacity) this.#keys.delete(this.#keys.values().next().value as K);
  }

  /** True if `key` is among the remembered ones. */
  has(key: K): boolean {
    return this.#keys.has(key);
  }
}
