import { blendFeed, type FeedSource } from '../domain/feed-blend.ts'
import { itemFilter } from '../domain/item-filter.ts'
import { trendingWindows } from '../domain/popularity.ts'
import { explainReason, followedAuthorReason, followedUsersReason } from '../domain/reasons.ts'
import { engagedByUsers } from '../store/follows-store.ts'
import { trendingItems } from '../store/popularity-store.ts'
import { excludedSoFar, explainContext, previousPage, type SlateDeps, type SlateReply, serveSlate } from './slate-context.ts'

export interface FeedRequest {
  userId: string
  count: number
  /** Only items published (or, for social and trending, engaged with) this recently. */
  maxAgeHours: number
  cursor?: string
  /** Each item's catalog fields too. */
  withItems: boolean
}

/** The mix a feed aims for; a source with nothing to offer leaves its share to the others. */
export const FEED_MIX = { following: 0.4, interests: 0.3, network: 0.2, trending: 0.1 } as const

/**
 * A social feed: new items from authors the user follows, items people they follow engaged with,
 * their personal recommendations and what is trending, interleaved by FEED_MIX with every item
 * explained by each source that proposed it. Seen items, mutes and earlier pages stay out.
 */
export async function feedForUser(deps: SlateDeps, req: FeedRequest): Promise<SlateReply> {
  const previous = await previousPage(deps, req.cursor, req.userId, 'feed')
  const { history, prefs, follows } = await deps.serving.userState(req.userId)
  const now = deps.now.getTime()
  const since = new Date(now - req.maxAgeHours * 3_600_000)
  const excluded = excludedSoFar(previous)
  for (const h of history) excluded.add(h.itemId)
  const allowed = itemFilter(
    { now, mutedTopics: prefs?.mutedTopics, mutedAuthors: prefs?.mutedAuthors, mutedItems: prefs?.mutedItems, contentLanguages: prefs?.languages },
    deps.models.catalog,
  )
  const usable = (id: string) => !excluded.has(id) && allowed(id)
  const want = req.count * 2 + 10
  const ctx = explainContext(deps.models)
  const personalized = !prefs?.nonPersonalized

  const following: FeedSource = { name: 'following', weight: FEED_MIX.following, items: [] }
  for (const author of follows.authors) {
    let taken = 0
    for (const id of deps.models.byAuthor.get(author) ?? []) {
      const published = deps.models.catalog.get(id)?.publishedAt ?? 0
      if (published < since.getTime() || taken >= want) break
      if (!usable(id)) continue
      following.items.push({ itemId: id, score: published / 1e13, reasons: [followedAuthorReason(author)] })
      taken++
    }
  }
  following.items.sort((a, b) => b.score - a.score)

  const network: FeedSource = { name: 'network', weight: FEED_MIX.network, items: [] }
  for (const r of await engagedByUsers(deps.db, follows.users, { since, limit: want * 2 })) {
    if (usable(r.itemId)) network.items.push({ itemId: r.itemId, score: r.users, reasons: [followedUsersReason(r.users)] })
  }

  const interests: FeedSource = { name: 'interests', weight: personalized ? FEED_MIX.interests : 0, items: [] }
  if (deps.models.engine && personalized) {
    const recs = deps.models.engine.recommend(
      history.map((h) => ({ itemId: h.itemId, weight: h.weight, time: h.lastAt.getTime() })),
      { k: want, excludeIds: excluded, filter: allowed, now, diversity: 0.3, topics: prefs?.followedTopics ?? [] },
    )
    interests.items = recs.map((r) => ({ itemId: r.itemId, score: r.score, reasons: [explainReason(r.reason, r.itemId, r.because, ctx)] }))
  }

  const trending: FeedSource = { name: 'trending', weight: FEED_MIX.trending, items: [] }
  const hot = await trendingItems(deps.db, { now: deps.now, ...trendingWindows['24h'], limit: want + excluded.size, offset: 0 })
  for (const r of hot)
    if (usable(r.itemId)) trending.items.push({ itemId: r.itemId, score: r.score, reasons: [explainReason('trending', r.itemId, undefined, ctx)] })

  // Over-ask: serveSlate drops items removed or hidden since the model's catalog snapshot.
  const blended = blendFeed([following, interests, network, trending], want, excluded)
  return serveSlate(deps, {
    userId: req.userId,
    scenario: 'feed',
    kind: 'feed',
    count: req.count,
    personalized,
    previous,
    excluded: () => excluded,
    candidates: blended,
    withItems: req.withItems,
  })
}
