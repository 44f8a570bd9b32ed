import { errors } from '@attune/kit'
import { itemFilter } from '../domain/item-filter.ts'
import type { ExplainedCandidate } from '../domain/reasons.ts'
import { findItem } from '../store/items-store.ts'
import { userPreferences } from '../store/preferences-store.ts'
import { explainContext, type SlateDeps, type SlateReply, serveSlate } from './slate-context.ts'

export interface SimilarRequest {
  itemId: string
  count: number
  /** The reader, when known: their mutes apply and the slate is attributed to them. */
  userId?: string
  /** Each item's catalog fields too. */
  withItems: boolean
}

/**
 * Items like this one by the trained model (co-engagement, factors, content); an item the model
 * has not seen yet gets what is popular in its categories. Unknown items are a 404.
 */
export async function similarItems(deps: SlateDeps, req: SimilarRequest): Promise<SlateReply> {
  const item = await findItem(deps.db, req.itemId)
  if (!item) throw errors.notFound('Item', req.itemId)
  const prefs = req.userId ? await userPreferences(deps.db, req.userId) : undefined
  const allowed = itemFilter(
    { now: deps.now.getTime(), mutedTopics: prefs?.mutedTopics, mutedAuthors: prefs?.mutedAuthors, mutedItems: prefs?.mutedItems },
    deps.models.catalog,
  )
  const ctx = explainContext(deps.models)
  const title = item.title ?? item.itemId
  const want = req.count * 3 + 10
  const { engine } = deps.models
  let candidates: ExplainedCandidate[] = []
  if (engine?.itemIndex.has(req.itemId)) {
    candidates = engine
      .similar(req.itemId, want)
      .filter((r) => r.itemId !== req.itemId && allowed(r.itemId))
      .map((r) => ({
        itemId: r.itemId,
        score: r.score,
        reasons: [{ kind: 'similar-to-item', text: `Readers of “${title}” also engaged with this, or it covers the same ground`, itemIds: [req.itemId] }],
      }))
  }
  if (candidates.length < req.count && engine) {
    const have = new Set(candidates.map((c) => c.itemId))
    const popular = engine.recommend([], { k: want, topics: item.categories, filter: (id) => id !== req.itemId && !have.has(id) && allowed(id) })
    for (const r of popular) {
      const category = ctx.categoryOf(r.itemId)
      candidates.push({
        itemId: r.itemId,
        score: 0,
        reasons: [
          category ? { kind: 'popular', text: `Popular in ${category}, like “${title}”`, category } : { kind: 'popular', text: 'Popular with readers' },
        ],
      })
    }
  }
  return serveSlate(deps, {
    userId: req.userId ?? '',
    scenario: 'similar',
    kind: 'similar',
    count: req.count,
    personalized: false,
    previous: undefined,
    excluded: () => new Set([req.itemId]),
    candidates,
    withItems: req.withItems,
  })
}
