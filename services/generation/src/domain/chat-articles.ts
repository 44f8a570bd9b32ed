/** An article the recommendation service picked, as the chatbot uses it. */
export interface RecommendedArticle {
  itemId: string
  title: string | null
  categories: string[]
  author: string | null
  score: number
  /** The recommendation service's own explanations ("Because you read …"). */
  reasons: string[]
}

/** A cited article: the item, why it was picked, and the slate it came from (for attribution). */
export interface Citation {
  index: number
  itemId: string
  title: string | null
  recommendationId: string
  why: string
}

const STOP = new Set(
  'a an and any are about for from have i in is it me more news of on or show some tell the to today what whats with you your please latest give any new'.split(
    ' ',
  ),
)

/** The content words of a message (lowercase, no stop words). */
export function terms(text: string): string[] {
  return [...new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])].filter((w) => w.length > 2 && !STOP.has(w))
}

/**
 * Picks up to `count` articles for a message: the recommendation order, with articles whose title
 * or categories share words with the message moved first (words of the latest message count
 * twice those of earlier ones, `context`). Each pick says why: the match, then the recommendation
 * service's own reason.
 */
export function pickArticles(message: string, articles: readonly RecommendedArticle[], count: number, recommendationId: string, context = ''): Citation[] {
  const latest = terms(message)
  const earlier = terms(context).filter((w) => !latest.includes(w))
  const scored = articles.map((a, rank) => {
    const words = new Set(terms(`${a.title ?? ''} ${a.categories.join(' ')}`))
    const hit = (w: string) => words.has(w) || a.categories.some((c) => c.toLowerCase() === w)
    const now = latest.filter(hit)
    const before = earlier.filter(hit)
    return { a, rank, matched: [...now, ...before], score: 2 * now.length + before.length }
  })
  scored.sort((x, y) => y.score - x.score || x.rank - y.rank)
  return scored.slice(0, count).map(({ a, matched }, i) => {
    const parts = []
    if (matched.length > 0) parts.push(`it matches what you asked about (${matched.join(', ')})`)
    if (a.reasons[0]) parts.push(a.reasons[0].replace(/\.$/, '').replace(/^./, (c) => c.toLowerCase()))
    if (parts.length === 0) parts.push('it ranks high among your personalized picks')
    return { index: i + 1, itemId: a.itemId, title: a.title, recommendationId, why: `Picked because ${parts.join('; ')}.` }
  })
}

/** The article list for a prompt: `[n] title (categories) — why`. */
export function articlesForPrompt(citations: readonly Citation[], articles: readonly RecommendedArticle[]): string {
  if (citations.length === 0) return '(no articles available)'
  return citations
    .map((c) => {
      const a = articles.find((x) => x.itemId === c.itemId)
      return `[${c.index}] ${c.title ?? c.itemId}${a?.categories.length ? ` (${a.categories.join(', ')})` : ''} — ${c.why}`
    })
    .join('\n')
}
