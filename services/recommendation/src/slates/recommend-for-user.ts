import { type ItemFilterSpec, itemFilter } from '../domain/item-filter.ts'
import { trendingWindows } from '../domain/popularity.ts'
import { type ExplainedCandidate, explainReason, followedAuthorReason, notPersonalizedReason, segmentPopularReason } from '../domain/reasons.ts'
import type { EngineRequest } from '../recommenders/engine.ts'
import { trendingItems } from '../store/popularity-store.ts'
import { segmentPopularItems } from '../store/segments-store.ts'
import { excludedSoFar, explainContext, previousPage, type SlateDeps, type SlateReply, serveSlate } from './slate-context.ts'

export interface RecommendRequest {
  userId: string
  count: number
  scenario: string
  filters: Omit<ItemFilterSpec, 'now' | 'mutedTopics' | 'mutedAuthors' | 'mutedItems' | 'contentLanguages'>
  exclude: string[]
  excludeSeen: boolean
  /** 0 (pure relevance) .. 1 (most varied categories). */
  diversity: number
  /** Share of slots (0 .. 0.5) given to new items to learn about them. */
  explore: number
  cursor?: string
  /** Each item's catalog fields too. */
  withItems: boolean
}

/** A followed author's items rank higher by this factor. */
export const FOLLOWED_AUTHOR_BOOST = 1.25
/** Candidates scored per user and kept for later requests: enough for a few pages under common filters. */
export const CANDIDATES_KEPT = 200

/**
 * A user's recommendations: their current history folded into the trained model (so the last
 * interaction counts at once), their mutes, languages and followed topics applied, followed
 * authors boosted, each item explained. Non-personalized users and a service without a model yet
 * get popularity. Pages never repeat an item of the same slate.
 */
export async function recommendForUser(deps: SlateDeps, req: RecommendRequest): Promise<SlateReply> {
  // A warm first page (the user's state and the page kept) waits for nothing.
  const previous = req.cursor === undefined ? undefined : await previousPage(deps, req.cursor, req.userId, 'recommendations')
  const state = deps.serving.keptState(req.userId) ?? (await deps.serving.userState(req.userId))
  const { history, prefs, follows } = state
  const personalized = !prefs?.nonPersonalized
  // What the caller and earlier pages exclude; `excludedAll()` adds the user's negative feedback.
  const requested = excludedSoFar(previous, req.exclude)
  let excludedSet: Set<string> | undefined
  const excludedAll = (): Set<string> => {
    if (excludedSet) return excludedSet
    excludedSet = new Set(requested)
    // Negative feedback is never shown again, whatever excludeSeen says.
    for (const h of history) if (h.weight <= 0) excludedSet.add(h.itemId)
    return excludedSet
  }
  // A first page without exclusions or a moving time filter ranks the same until the user changes.
  const f = req.filters
  const memoKey =
    requested.size === 0 && f.maxAgeMs === undefined
      ? JSON.stringify([req.count, req.diversity, req.excludeSeen, f.categories, f.types, f.authors, f.languages])
      : undefined
  const now = deps.now.getTime()
  // A few spare: serveSlate drops items removed or hidden since the model's catalog snapshot.
  const want = req.count + 5
  const { engine } = deps.models
  // Cold start by audience: a user with no positive history and no chosen topics, but in segments
  // (rule or learned, from profiling), first gets what their segments engage with.
  const bySegment = personalized && !history.some((h) => h.weight > 0) && (prefs?.followedTopics.length ?? 0) === 0 && state.segments.length > 0
  const rankAll = async (): Promise<ExplainedCandidate[]> => {
    const excluded = excludedAll()
    const followedAuthors = new Set(follows.authors.map((a) => a.toLowerCase()))
    const allowed = itemFilter(
      {
        ...req.filters,
        now,
        mutedTopics: prefs?.mutedTopics,
        mutedAuthors: prefs?.mutedAuthors,
        mutedItems: prefs?.mutedItems,
        contentLanguages: prefs?.languages,
      },
      deps.models.catalog,
    )
    const ctx = explainContext(deps.models)
    let candidates: ExplainedCandidate[]
    if (engine) {
      const entries = personalized ? history.map((h) => ({ itemId: h.itemId, weight: h.weight, time: h.lastAt.getTime() })) : []
      const request: EngineRequest = {
        k: want,
        excludeIds: excluded,
        filter: allowed,
        now,
        diversity: req.diversity,
        ...(req.explore > 0 && personalized ? { explore: { share: req.explore, seed: seedOf(req.userId, previous?.page ?? 0) } } : {}),
        topics: personalized ? (prefs?.followedTopics ?? []) : [],
        includeHistory: !req.excludeSeen,
      }
      // Scored once per user state and model, then each request only filters and re-ranks; a filter
      // the kept candidates cannot fill is answered by the model directly.
      const candidateRequest = { k: CANDIDATES_KEPT, now, topics: request.topics ?? [], includeHistory: request.includeHistory ?? false }
      const kept = deps.serving.candidates(req.userId, state, engine, candidateRequest, () => engine.candidates(entries, candidateRequest))
      const recs = engine.rerank(kept, { ...request, excludeIds: requested }, memoKey) ?? engine.recommend(entries, request)
      candidates = recs.map((r) => ({ itemId: r.itemId, score: r.score, reasons: [explainReason(r.reason, r.itemId, r.because, ctx)] }))
    } else {
      const rows = await trendingItems(deps.db, { now: deps.now, ...trendingWindows['7d'], limit: want + excluded.size, offset: 0 })
      const seen = req.excludeSeen ? new Set(history.map((h) => h.itemId)) : new Set<string>()
      candidates = rows
        .filter((r) => !excluded.has(r.itemId) && !seen.has(r.itemId) && allowed(r.itemId))
        .map((r) => ({ itemId: r.itemId, score: r.score, reasons: [explainReason('popular', r.itemId, undefined, ctx)] }))
    }
    if (bySegment) {
      const { segments } = state
      const since = new Date(now - 30 * 86_400_000)
      const limit = want + excluded.size
      const popular = await deps.serving.segmentPopular(segments, limit, () => segmentPopularItems(deps.db, segments, { limit, since }))
      const inSegment = popular
        .filter((p) => !excluded.has(p.itemId) && allowed(p.itemId))
        .map((p) => ({ itemId: p.itemId, score: p.score, reasons: [segmentPopularReason(p.users)] }))
      const have = new Set(inSegment.map((c) => c.itemId))
      candidates = [...inSegment, ...candidates.filter((c) => !have.has(c.itemId))]
    }
    if (personalized && followedAuthors.size > 0) {
      for (const c of candidates) {
        const author = deps.models.catalog.get(c.itemId)?.author
        if (author && followedAuthors.has(author.toLowerCase())) {
          c.score *= FOLLOWED_AUTHOR_BOOST
          c.reasons.unshift(followedAuthorReason(author))
        }
      }
      candidates.sort((a, b) => b.score - a.score)
    }
    if (!personalized) for (const c of candidates) c.reasons = [notPersonalizedReason, ...c.reasons]
    return candidates
  }
  // A first page ranks the same until the user, the model or the catalog changes: kept with the
  // user's state (serveSlate still drops what was withdrawn since). Segment lists move on their own.
  const pageKey = engine && memoKey !== undefined && previous === undefined && !bySegment ? `${memoKey}|${req.explore}` : undefined
  const candidates =
    pageKey && engine
      ? (deps.serving.keptPage<ExplainedCandidate>(req.userId, state, engine, pageKey) ??
        (await deps.serving.firstPage(req.userId, state, engine, pageKey, rankAll)))
      : await rankAll()
  return serveSlate(deps, {
    userId: req.userId,
    scenario: req.scenario,
    kind: 'recommendations',
    count: req.count,
    personalized,
    previous,
    excluded: excludedAll,
    candidates,
    kept: pageKey !== undefined,
    withItems: req.withItems,
  })
}

/** A stable seed per user and page, so a page is reproducible and exploration varies across pages. */
function seedOf(userId: string, page: number): number {
  let h = 2166136261
  for (let i = 0; i < userId.length; i++) h = Math.imul(h ^ userId.charCodeAt(i), 16777619)
  return (h ^ page) >>> 0
}
