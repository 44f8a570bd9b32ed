/**
 * The most recent entries by key, bounded without deleting them one by one: two generations, and
 * when the newer one holds `max` entries it becomes the older one and the older one is dropped
 * whole. It keeps the last `max` to `2·max` entries (none when `max` is 0). Deleting the oldest
 * entry of one big Map on every insert walked the holes earlier deletions left at its front.
 */
export class RecentMap<K, V> {
  private current = new Map<K, V>()
  private previous = new Map<K, V>()
  private readonly max: number

  constructor(max: number) {
    this.max = max
  }

  set(key: K, value: V): void {
    if (this.max <= 0) return
    if (this.current.size >= this.max) {
      this.previous = this.current
      this.current = new Map()
    }
    this.current.set(key, value)
  }

  get(key: K): V | undefined {
    return this.current.get(key) ?? this.previous.get(key)
  }

  /** Drops every entry whose value matches (erasure of a user's entries). */
  deleteWhere(matches: (value: V) => boolean): void {
    for (const m of [this.current, this.previous]) for (const [k, v] of m) if (matches(v)) m.delete(k)
  }
}
