import { randomInt } from 'node:crypto'
import { AwaitedEvents, type ServiceContext, UserCache } from '@attune/kit'
import type { AdsConfig } from '../config.ts'
import type { AdsDb } from '../db.ts'
import type { UserSignals } from '../domain/live.ts'
import { utcDay } from '../domain/pacing.ts'
import { type Rng, seededRng } from '../domain/random.ts'
import { catalogVersion, loadCatalog, loadChanges } from '../store/catalog-store.ts'
import { listPlacements } from '../store/placements-store.ts'
import { loadUser } from '../store/users-store.ts'
import { DecisionLog } from './decision-log.ts'
import { LiveCatalog } from './live-catalog.ts'
import { PageCache } from './page-cache.ts'

/** Changes are read again this far back: a transaction stamps rows when it starts and may commit later. */
const CHANGES_MARGIN_MS = 10_000

/** Caps look back at most this far (the longest frequency-cap window allowed). */
const CAP_LOOKBACK_MS = 90 * 86_400_000

/** A user as decisions read them, kept between requests. */
export interface CachedUser {
  adConsent: string
  nonPersonalized: boolean
  segments: Set<string>
  interests: Set<string>
  impressions: Map<string, number[]>
}

/** What a user's decision may use: their signals when personalized, else nothing. */
export interface UserView {
  personalized: boolean
  signals: UserSignals | undefined
}

/**
 * The in-memory side of serving, so a warm decision reads nothing from the database: the live
 * catalog (reloaded every ADS_REFRESH_MS and after this replica's changes), the placements, the
 * users decided for recently, the pages seen recently, and the decision log written behind.
 */
export class Serving {
  catalog: LiveCatalog | undefined
  placements = new Map<string, { format: string }>()
  /**
   * Dropped whenever an event changes the user (consent, preferences, segments, an impression on
   * another replica, erasure); a load that started before the drop is not kept. Times are
   * `performance.now()` (monotonic), not the service clock.
   */
  readonly users = new UserCache<CachedUser>({ maxUsers: 100_000, ttlMs: 300_000, settleMs: 0, now: () => performance.now() })
  readonly pages = new PageCache({ maxEntries: 20_000, maxChars: 4_000_000 })
  /** Consent, preference and segment events about users that this service's consumers have yet to apply. */
  readonly awaited: AwaitedEvents<AdsDb>
  readonly decisions: DecisionLog
  readonly rng: Rng
  private loading: Promise<void> | undefined
  private loaded: { version: string; day: string; dbNow: Date } | undefined
  private readonly ctx: ServiceContext<AdsDb, AdsConfig>

  constructor(ctx: ServiceContext<AdsDb, AdsConfig>) {
    this.ctx = ctx
    this.rng = seededRng(ctx.config.ADS_RANDOM_SEED ?? randomInt(2 ** 31))
    this.decisions = new DecisionLog(ctx.db, { flushMs: 200, maxBuffered: 500, log: ctx.log })
    this.awaited = new AwaitedEvents(ctx.db)
  }

  /**
   * Brings the catalog up to date, one refresh at a time: a full reload when campaigns, ads,
   * advertisers or placements changed (or the UTC day did), else only the spend and counts that
   * changed since the last look (with a margin for transactions that committed late).
   */
  refresh(force = false): Promise<void> {
    this.loading ??= (async () => {
      const now = this.ctx.clock()
      const day = utcDay(now.getTime())
      const version = await catalogVersion(this.ctx.db)
      const last = this.loaded
      if (!force && this.catalog && last && last.version === version && last.day === day) {
        const changes = await loadChanges(this.ctx.db, day, new Date(last.dbNow.getTime() - CHANGES_MARGIN_MS))
        this.catalog.applyChanges(changes)
        this.loaded = { ...last, dbNow: changes.now }
        return
      }
      const [{ now: dbNow }, rows, placements] = await Promise.all([
        loadChanges(this.ctx.db, day, new Date()),
        loadCatalog(this.ctx.db, now, day),
        listPlacements(this.ctx.db),
      ])
      this.catalog = new LiveCatalog(rows, { mean: this.ctx.config.ADS_PRIOR_CTR, strength: this.ctx.config.ADS_PRIOR_STRENGTH })
      this.placements = new Map(placements.map((p) => [p.placementId, { format: p.format }]))
      this.loaded = { version, day, dbNow }
    })().finally(() => {
      this.loading = undefined
    })
    return this.loading
  }

  /** After a change on this replica: a reload that starts after it (a running one may have read before it). */
  async changed(): Promise<void> {
    if (this.loading) await this.loading.catch(() => undefined)
    await this.refresh(true)
  }

  async live(): Promise<LiveCatalog> {
    if (!this.catalog) await this.refresh()
    return this.catalog as LiveCatalog
  }

  /** The user as a decision may see them: personalized only with ad-personalization consent granted and the switch off. */
  async user(userId: string | undefined): Promise<UserView> {
    if (!userId) return { personalized: false, signals: undefined }
    const now = this.ctx.clock().getTime()
    let u = this.users.get(userId)
    if (!u) {
      const loadStart = performance.now()
      const [loaded, applied] = await Promise.all([loadUser(this.ctx.db, userId, new Date(now - CAP_LOOKBACK_MS)), this.awaited.applied(userId)])
      const impressions = new Map<string, number[]>()
      for (const i of loaded.impressions) {
        const list = impressions.get(i.campaignId) ?? []
        list.push(i.at.getTime())
        impressions.set(i.campaignId, list)
      }
      u = {
        adConsent: loaded.user?.adConsent ?? 'unknown',
        nonPersonalized: loaded.user?.nonPersonalized ?? false,
        segments: new Set(loaded.user?.segments ?? []),
        interests: new Set(loaded.user?.interests ?? []),
        impressions,
      } satisfies CachedUser
      if (applied) this.users.set(userId, u, loadStart)
    }
    const personalized = u.adConsent === 'granted' && !u.nonPersonalized
    return { personalized, signals: personalized ? u : undefined }
  }

  /** This replica's own impression, counted at once for caps (if the user is kept). */
  addImpression(userId: string, campaignId: string, at: number): void {
    const u = this.users.get(userId)
    if (!u) return
    const list = u.impressions.get(campaignId)
    if (list) list.push(at)
    else u.impressions.set(campaignId, [at])
  }

  async forget(userId: string): Promise<void> {
    this.awaited.forget(userId)
    this.users.changed([userId])
    await this.decisions.forget(userId)
  }
}

const servings = new WeakMap<object, Serving>()

/** The one Serving of a service instance (routes, consumers, listeners and jobs share it). */
export function servingFor(ctx: ServiceContext<AdsDb, AdsConfig>): Serving {
  let s = servings.get(ctx)
  if (!s) {
    s = new Serving(ctx)
    servings.set(ctx, s)
  }
  return s
}
