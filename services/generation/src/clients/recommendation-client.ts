import type { RecommendedArticle } from '../domain/chat-articles.ts'
import { keepAliveFetch } from '../providers/keep-alive-fetch.ts'
import { ProviderError } from '../providers/provider-error.ts'

export interface RecommendationSlate {
  recommendationId: string
  articles: RecommendedArticle[]
}

export interface RecommendationClient {
  /** The user's personalized slate from `GET /v1/users/{userId}/recommendations`. */
  forUser(userId: string, count: number): Promise<RecommendationSlate>
}

interface SlateBody {
  recommendationId?: unknown
  items?: {
    itemId: string
    score: number
    reasons?: { text?: string }[]
    item?: { title?: string | null; categories?: string[]; author?: string | null }
  }[]
}

/**
 * Over HTTP, as any client of the recommendation service; its failures are 502/503 upstream
 * errors. Every chat turn calls it, so it keeps its connections alive (keepAliveFetch) and times a
 * call out with a timer it clears: the global fetch and `AbortSignal.timeout` register each call in
 * FinalizationRegistries, which keep it reachable through every young-generation collection until
 * a full one.
 */
export function recommendationClient(o: { url: string; apiKey?: string; timeoutMs: number }): RecommendationClient {
  const http = keepAliveFetch()
  const headers = { accept: 'application/json', ...(o.apiKey ? { authorization: `Bearer ${o.apiKey}` } : {}) }
  return {
    async forUser(userId, count) {
      const controller = new AbortController()
      const timer = setTimeout(() => controller.abort(new DOMException(`No answer within ${o.timeoutMs} ms`, 'TimeoutError')), o.timeoutMs)
      let body: SlateBody
      try {
        const res = await http(`${o.url}/v1/users/${encodeURIComponent(userId)}/recommendations?count=${count}&include=item`, {
          headers,
          signal: controller.signal,
        }).catch((cause: unknown) => {
          throw new ProviderError(503, 'The recommendation service could not be reached', { cause })
        })
        if (res.status >= 500 || res.status === 429) throw new ProviderError(503, `The recommendation service is unavailable (HTTP ${res.status})`)
        if (!res.ok) throw new ProviderError(502, `The recommendation service refused the request (HTTP ${res.status})`)
        body = (await res.json().catch(() => ({}))) as SlateBody
      } finally {
        clearTimeout(timer)
      }
      if (typeof body.recommendationId !== 'string' || !Array.isArray(body.items))
        throw new ProviderError(502, 'The recommendation service answered in an unknown shape')
      return {
        recommendationId: body.recommendationId,
        articles: body.items.map((i) => ({
          itemId: i.itemId,
          title: i.item?.title ?? null,
          categories: i.item?.categories ?? [],
          author: i.item?.author ?? null,
          score: i.score,
          reasons: (i.reasons ?? []).map((r) => r.text ?? '').filter(Boolean),
        })),
      }
    },
  }
}
