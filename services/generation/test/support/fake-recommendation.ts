// A local HTTP server answering GET /v1/users/{userId}/recommendations in the recommendation
// service's documented Slate shape, recording who asked with which key.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface FakeRecommendation {
  url: string
  calls: { url: string; authorization: string | undefined }[]
  /** Answer with this status instead (e.g. 503), for the next request. */
  failNext(status: number): void
  close(): Promise<void>
}

export const articles = [
  { itemId: 'a-climate', title: 'Climate summit ends with a new deal', categories: ['climate', 'politics'], reason: 'Because you read “Heatwave records”' },
  { itemId: 'a-football', title: 'Cup final goes to penalties', categories: ['sport'], reason: 'Popular in sport today' },
  { itemId: 'a-markets', title: 'Markets rally after rate cut', categories: ['business'], reason: 'Trending now' },
  { itemId: 'a-science', title: 'Telescope spots water on exoplanet', categories: ['science'], reason: 'Because you follow science' },
]

export async function startFakeRecommendation(): Promise<FakeRecommendation> {
  const calls: FakeRecommendation['calls'] = []
  let fail: number | undefined
  let n = 0
  const server = createServer((req, res) => {
    calls.push({ url: req.url ?? '', authorization: req.headers.authorization })
    if (fail) {
      res.writeHead(fail, { 'content-type': 'application/problem+json' })
      res.end(JSON.stringify({ status: fail }))
      fail = undefined
      return
    }
    const m = /^\/v1\/users\/([^/?]+)\/recommendations/.exec(req.url ?? '')
    if (!m) {
      res.writeHead(404)
      res.end()
      return
    }
    n++
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(
      JSON.stringify({
        recommendationId: `0193a6f0-4b1c-7c3e-9a51-${String(n).padStart(12, '0')}`,
        userId: decodeURIComponent(m[1] as string),
        scenario: 'default',
        personalized: true,
        modelTrainedAt: null,
        items: articles.map((a, i) => ({
          itemId: a.itemId,
          rank: i + 1,
          score: 1 - i / 10,
          reasons: [{ kind: 'because-you-engaged', text: a.reason }],
          item: { type: 'article', title: a.title, categories: a.categories, author: 'desk', language: 'en', publishedAt: null },
        })),
        nextCursor: null,
      }),
    )
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    failNext: (s) => {
      fail = s
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
