export interface CachedUser {
  adConsent: string
  nonPersonalized: boolean
  segments: Set<string>
  interests: Set<string>
  impressions: Map<string, number[]>
}

/**
 * Users a replica decided for recently, so a warm decision reads nothing: bounded (oldest out
 * first) and expiring; dropped whenever an event changes the user (consent, preferences,
 * segments, an impression on another replica, erasure), then read again on the next request.
 */
export class UserCache {
  private readonly entries = new Map<string, { at: number; user: CachedUser }>()
  /** When each user was last dropped: a load that started before is not kept (it may have read the old state). */
  private readonly dropped = new Map<string, number>()
  private readonly maxUsers: number
  private readonly ttlMs: number

  constructor(maxUsers: number, ttlMs: number) {
    this.maxUsers = maxUsers
    this.ttlMs = ttlMs
  }

  /** Times are `performance.now()` (monotonic), not the service clock. */
  get(userId: string): CachedUser | undefined {
    const e = this.entries.get(userId)
    if (!e) return undefined
    if (performance.now() - e.at > this.ttlMs) {
      this.entries.delete(userId)
      return undefined
    }
    return e.user
  }

  /** Keeps a user read from the database; `loadedAt` is when the read started. */
  set(userId: string, user: CachedUser, loadedAt: number): void {
    const droppedAt = this.dropped.get(userId)
    if (droppedAt !== undefined && droppedAt >= loadedAt) return
    this.entries.delete(userId)
    this.entries.set(userId, { at: loadedAt, user })
    if (this.entries.size > this.maxUsers) this.entries.delete(this.entries.keys().next().value as string)
  }

  drop(userId: string): void {
    this.entries.delete(userId)
    if (this.dropped.size >= this.maxUsers) this.dropped.clear()
    this.dropped.set(userId, performance.now())
  }

  /** This replica's own impression, counted at once for caps. */
  addImpression(userId: string, campaignId: string, at: number): void {
    const u = this.entries.get(userId)?.user
    if (!u) return
    const list = u.impressions.get(campaignId) ?? []
    list.push(at)
    u.impressions.set(campaignId, list)
  }
}
