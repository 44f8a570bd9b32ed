import { AwaitedEvents, type ServiceContext, UserCache } from '@attune/kit'
import type { RecommendationConfig } from '../config.ts'
import type { RecommendationDb } from '../db.ts'
import type { CandidateRequest, CandidateSet, Engine } from '../recommenders/engine.ts'
import { ServedLog } from './served-log.ts'
import { loadUserState, type UserState } from './user-state.ts'

/** What a replica keeps per user: their state and, per trained engine, the candidates computed from it. */
interface UserEntry {
  state: UserState
  candidates: Map<string, { engine: Engine; set: CandidateSet }>
  /** Ranked, explained first pages by request shape (read-only once kept). */
  pages: Map<string, { engine: Engine; page: readonly unknown[] }>
}

export interface ServingOptions {
  maxUsers: number
  ttlMs: number
  settleMs: number
  servedFlushMs: number
}

const SEGMENT_LIST_TTL_MS = 60_000

export const defaultServingOptions: ServingOptions = { maxUsers: 100_000, ttlMs: 600_000, settleMs: 1_000, servedFlushMs: 200 }

/**
 * The in-memory side of serving, so that a warm request reads nothing from the database: each
 * user's state and scored candidates (dropped when an event changes the user, on this replica by
 * its consumers, on the others by its listeners), and served slates written behind.
 */
export class Serving {
  readonly users: UserCache<UserEntry>
  readonly served: ServedLog
  private readonly segmentLists = new Map<string, { at: number; items: unknown[] }>()
  /** Events about users that this service's consumers have yet to apply (see the listeners). */
  readonly awaited: AwaitedEvents<RecommendationDb>

  private readonly ctx: Pick<ServiceContext<RecommendationDb>, 'db' | 'log' | 'schema'>

  constructor(ctx: Pick<ServiceContext<RecommendationDb>, 'db' | 'log' | 'schema'>, o: ServingOptions = defaultServingOptions) {
    this.ctx = ctx
    this.users = new UserCache({ maxUsers: o.maxUsers, ttlMs: o.ttlMs, settleMs: o.settleMs })
    this.served = new ServedLog(ctx.db, { flushMs: o.servedFlushMs, maxBuffered: 1000, recentMax: 25_000, schema: ctx.schema, log: ctx.log })
    this.awaited = new AwaitedEvents(ctx.db)
  }

  /** The user's state when this replica holds it: a warm request then waits for nothing. */
  keptState(userId: string): UserState | undefined {
    return this.users.get(userId)?.state
  }

  async userState(userId: string): Promise<UserState> {
    const kept = this.users.get(userId)
    if (kept) return kept.state
    const loadedAt = Date.now()
    const [state, applied] = await Promise.all([loadUserState(this.ctx.db, userId), this.awaited.applied(userId)])
    if (applied) this.users.set(userId, { state, candidates: new Map(), pages: new Map() }, loadedAt)
    return state
  }

  /** The user's candidates from `engine` for this kind of request, computed once per state and engine. */
  candidates(userId: string, state: UserState, engine: Engine, request: CandidateRequest, compute: () => CandidateSet): CandidateSet {
    const key = `${request.includeHistory ? 'h' : '-'}|${(request.topics ?? []).join(',')}`
    const entry = this.users.get(userId)
    const kept = entry?.state === state ? entry.candidates.get(key) : undefined
    if (kept && kept.engine === engine) return kept.set
    const set = compute()
    if (entry?.state === state) entry.candidates.set(key, { engine, set })
    return set
  }

  /**
   * A user's ranked first page for one request shape, worked out once per state and engine: a page
   * reloaded by the same user costs a lookup. A catalog change retrains the engine or withdraws
   * items, which the caller filters at serving time.
   */
  async firstPage<T>(userId: string, state: UserState, engine: Engine, key: string, compute: () => Promise<T[]>): Promise<readonly T[]> {
    const kept = this.keptPage<T>(userId, state, engine, key)
    if (kept) return kept
    const page = await compute()
    const now = this.users.get(userId)
    if (now?.state === state) {
      now.pages.set(key, { engine, page })
      // Request shapes are few per user; a caller cycling through filters must not grow this unbounded.
      if (now.pages.size > 16) now.pages.delete(now.pages.keys().next().value as string)
    }
    return page
  }

  /** The first page `firstPage` keeps for this state, engine and request shape, if any. */
  keptPage<T>(userId: string, state: UserState, engine: Engine, key: string): readonly T[] | undefined {
    const entry = this.users.get(userId)
    const kept = entry?.state === state ? entry.pages.get(key) : undefined
    return kept && kept.engine === engine ? (kept.page as readonly T[]) : undefined
  }

  /**
   * What a set of audience segments engages with, shared by every cold-start user of that set and
   * read again after a minute (it moves slowly: an aggregate over 30 days).
   */
  async segmentPopular<T>(segments: readonly string[], limit: number, load: () => Promise<T[]>): Promise<T[]> {
    const key = `${limit}|${[...segments].sort().join(',')}`
    const now = Date.now()
    const kept = this.segmentLists.get(key)
    if (kept && now - kept.at < SEGMENT_LIST_TTL_MS) return kept.items as T[]
    const items = await load()
    this.segmentLists.delete(key)
    this.segmentLists.set(key, { at: now, items })
    if (this.segmentLists.size > 10_000) this.segmentLists.delete(this.segmentLists.keys().next().value as string)
    return items
  }

  /** Events changed these users. */
  changed(userIds: Iterable<string>): void {
    this.users.changed(userIds)
  }

  /** A user was erased: nothing about them stays in memory or is written later (nor stays written by a flush in flight). */
  async forget(userId: string): Promise<void> {
    this.awaited.forget(userId)
    this.users.changed([userId])
    await this.served.forget(userId)
  }

  close(): Promise<void> {
    return this.served.close()
  }
}

const servings = new WeakMap<object, Serving>()

/** The serving state of one service instance (routes, consumers and listeners get the same context object). */
export function servingFor(ctx: ServiceContext<RecommendationDb, RecommendationConfig>): Serving {
  let s = servings.get(ctx)
  if (!s) {
    const c = ctx.config
    s = new Serving(ctx, {
      ...defaultServingOptions,
      ...(c.SERVING_CACHE_USERS !== undefined ? { maxUsers: c.SERVING_CACHE_USERS } : {}),
      ...(c.SERVING_CACHE_TTL_MS !== undefined ? { ttlMs: c.SERVING_CACHE_TTL_MS } : {}),
      ...(c.SERVED_FLUSH_MS !== undefined ? { servedFlushMs: c.SERVED_FLUSH_MS } : {}),
    })
    servings.set(ctx, s)
  }
  return s
}
