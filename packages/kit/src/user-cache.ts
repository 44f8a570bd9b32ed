export interface UserCacheOptions {
  /** Most users kept; the least recently used go first. */
  maxUsers: number
  /** An entry older than this is reloaded, whatever the events said (a safety net, not the freshness mechanism). */
  ttlMs: number
  /**
   * After a change, loads are not kept for this long: the event that announced the change may
   * arrive before the transaction writing it commits (another replica's consumer), so what is
   * read meanwhile may be old. With 0, only loads started at or before the change are refused.
   */
  settleMs: number
  /** The clock of `loadedAt` and of every time here (ms): `Date.now` unless given. */
  now?: () => number
}

interface Entry<V> {
  value: V
  at: number
  seq: number
}

/**
 * What a replica keeps about its users between requests, dropped as soon as an event says the
 * user changed. Bounded (LRU), with a time to live, and never refilled from a load that may predate
 * a change: one started at or before the change, or within the settle window after it, is used
 * once by its caller but not kept.
 */
export class UserCache<V> {
  private readonly entries = new Map<string, Entry<V>>()
  /** Counts insertions at the young end of `entries`' order. */
  private inserted = 0
  /**
   * Walks `entries` from the old end as eviction deletes them. A fresh `keys()` per eviction
   * stepped again over every hole the deletions before it left at the Map's front (until V8
   * compacts it): 20–100 µs a set at 100,000 users.
   */
  private oldest: MapIterator<string> | undefined
  /** When each user last changed, oldest first. */
  private readonly changes = new Map<string, number>()
  /** Every change mark pruned so far was at or before this: it stands in for them, for every user. */
  private prunedUpTo = Number.NEGATIVE_INFINITY
  private readonly maxUsers: number
  private readonly ttlMs: number
  private readonly settleMs: number
  private readonly youngQuarter: number
  private readonly now: () => number

  constructor(o: UserCacheOptions) {
    this.maxUsers = o.maxUsers
    this.ttlMs = o.ttlMs
    this.settleMs = o.settleMs
    this.youngQuarter = o.maxUsers / 4
    this.now = o.now ?? Date.now
  }

  get size(): number {
    return this.entries.size
  }

  get(userId: string): V | undefined {
    const e = this.entries.get(userId)
    if (e === undefined) return undefined
    if (this.now() - e.at > this.ttlMs) {
      this.entries.delete(userId)
      return undefined
    }
    // Re-inserting moves the entry to the young end of the Map's order. An entry already among the
    // youngest quarter stays where it is: a delete and set per request, for every request of a
    // returning user, was a visible share of serving them.
    if (this.inserted - e.seq >= this.youngQuarter) {
      this.entries.delete(userId)
      e.seq = ++this.inserted
      this.entries.set(userId, e)
    }
    return e.value
  }

  /** Keeps a value whose load started at `loadedAt`, unless the user changed since then or is settling. */
  set(userId: string, value: V, loadedAt = this.now()): void {
    const changedAt = Math.max(this.changes.get(userId) ?? Number.NEGATIVE_INFINITY, this.prunedUpTo)
    if (loadedAt <= changedAt + this.settleMs) return
    this.entries.delete(userId)
    this.entries.set(userId, { value, at: loadedAt, seq: ++this.inserted })
    while (this.entries.size > this.maxUsers) this.evictOldest()
  }

  /** Replaces a kept value in place (e.g. with more computed), if the user still has an entry. */
  update(userId: string, value: V): void {
    const e = this.entries.get(userId)
    if (e) e.value = value
  }

  /** The users changed: drop what is kept and refuse loads that may have read before the change. */
  changed(userIds: Iterable<string>): void {
    const now = this.now()
    for (const id of userIds) {
      this.entries.delete(id)
      this.changes.delete(id)
      this.changes.set(id, now)
    }
    if (this.changes.size > this.maxUsers) this.pruneChanges()
  }

  clear(): void {
    this.entries.clear()
    this.oldest = undefined
  }

  /** Every entry this iterator passed was deleted, so the next it yields is the oldest. */
  private evictOldest(): void {
    let next = this.oldest?.next()
    if (next === undefined || next.done) {
      this.oldest = this.entries.keys()
      next = this.oldest.next()
    }
    this.entries.delete(next.value as string)
  }

  /**
   * Forgets the older half of the change marks. Each still matters to a load that started before
   * it and has yet to finish, so the newest forgotten one becomes a mark for every user: a slow
   * load from back then is refused (never a stale one kept), which costs nothing once loads that
   * old are over.
   */
  private pruneChanges(): void {
    let excess = this.changes.size - Math.floor(this.maxUsers / 2)
    for (const [id, at] of this.changes) {
      if (excess-- <= 0) break
      this.changes.delete(id)
      if (at > this.prunedUpTo) this.prunedUpTo = at
    }
  }
}
