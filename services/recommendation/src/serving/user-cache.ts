export interface UserCacheOptions {
  /** Most users kept; the least recently used go first. */
  maxUsers: number
  /** An entry older than this is reloaded, whatever the events said (a safety net, not the freshness mechanism). */
  ttlMs: number
  /**
   * After a change, loads are not kept for this long: the event that announced the change may
   * arrive before the transaction writing it commits (another replica's consumer), so what is
   * read meanwhile may be old.
   */
  settleMs: number
  now?: () => number
}

/**
 * What a replica keeps about its users between requests, dropped as soon as an event says the
 * user changed. Bounded (LRU), with a time to live, and a settle window after each change during
 * which loads are used once but not kept.
 */
export class UserCache<V> {
  private readonly entries = new Map<string, { value: V; at: number; seq: number }>()
  /** Counts insertions at the young end of `entries`' order. */
  private inserted = 0
  private readonly settling = new Map<string, number>()
  private readonly o: Required<UserCacheOptions>

  constructor(o: UserCacheOptions) {
    this.o = { now: Date.now, ...o }
  }

  get size(): number {
    return this.entries.size
  }

  get(userId: string): V | undefined {
    const e = this.entries.get(userId)
    if (!e) return undefined
    if (this.o.now() - e.at > this.o.ttlMs) {
      this.entries.delete(userId)
      return undefined
    }
    // Re-inserting moves the entry to the young end of the Map's order. An entry already among the
    // youngest quarter stays where it is: a delete and set per request, for every request of a
    // returning user, was a visible share of serving them.
    if (this.inserted - e.seq >= this.o.maxUsers / 4) {
      this.entries.delete(userId)
      e.seq = ++this.inserted
      this.entries.set(userId, e)
    }
    return e.value
  }

  /** Keeps a value loaded at `loadedAt` (ms), unless the user changed since then or is settling. */
  set(userId: string, value: V, loadedAt = this.o.now()): void {
    const changed = this.settling.get(userId)
    if (changed !== undefined) {
      if (loadedAt < changed + this.o.settleMs) return
      this.settling.delete(userId)
    }
    this.entries.delete(userId)
    this.entries.set(userId, { value, at: loadedAt, seq: ++this.inserted })
    while (this.entries.size > this.o.maxUsers) {
      const oldest = this.entries.keys().next().value as string
      this.entries.delete(oldest)
    }
  }

  /** Replaces a kept value in place (e.g. with more computed), if the user still has an entry. */
  update(userId: string, value: V): void {
    const e = this.entries.get(userId)
    if (e) e.value = value
  }

  /** The users changed: drop what is kept and settle. */
  changed(userIds: Iterable<string>): void {
    const now = this.o.now()
    for (const id of userIds) {
      this.entries.delete(id)
      this.settling.delete(id)
      this.settling.set(id, now)
    }
    // Settled marks are only needed for settleMs; prune the oldest when many accumulate.
    if (this.settling.size > this.o.maxUsers) {
      for (const [id, at] of this.settling) {
        if (now - at < this.o.settleMs) break
        this.settling.delete(id)
      }
    }
  }

  clear(): void {
    this.entries.clear()
  }
}
