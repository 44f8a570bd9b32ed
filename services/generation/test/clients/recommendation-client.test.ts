// The chatbot's client of the recommendation service, against local HTTP servers: the slate read
// from the documented shape, and each way it can fail as the 502/503 the chat turn reports
// (unreachable, silent past the timeout, unavailable, refusing, answering in another shape).

import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { recommendationClient } from '../../src/clients/recommendation-client.ts'
import { ProviderError } from '../../src/providers/provider-error.ts'
import { articles, startFakeRecommendation } from '../support/fake-recommendation.ts'

const recs = await startFakeRecommendation()
t.teardown(() => recs.close())

/** A server whose every request gets `answer` (or nothing, to time out). */
async function server(answer: ((res: import('node:http').ServerResponse) => void) | undefined) {
  const s = createServer((_req, res) => answer?.(res))
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(s.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        s.closeAllConnections()
        s.close(() => resolve())
      }),
  }
}

t.test('reads the slate, with the key, over a kept-alive connection', async (t) => {
  const client = recommendationClient({ url: recs.url, apiKey: 'rk', timeoutMs: 2000 })
  const a = await client.forUser('user 1', 4)
  const b = await client.forUser('user-2', 4)
  t.match(
    a.articles,
    articles.map((x) => ({ itemId: x.itemId, title: x.title, categories: x.categories, reasons: [x.reason] })),
  )
  t.not(a.recommendationId, b.recommendationId)
  t.match(recs.calls.slice(-2), [
    { url: '/v1/users/user%201/recommendations?count=4&include=item', authorization: 'Bearer rk' },
    { url: '/v1/users/user-2/recommendations?count=4&include=item' },
  ])
})

t.test('failures are 503 or 502 provider errors', async (t) => {
  const client = recommendationClient({ url: recs.url, timeoutMs: 2000 })
  recs.failNext(503)
  t.match(await client.forUser('u', 3).catch((e: unknown) => e), { status: 503, message: /unavailable \(HTTP 503\)/ })
  recs.failNext(404)
  t.match(await client.forUser('u', 3).catch((e: unknown) => e), { status: 502, message: /refused the request \(HTTP 404\)/ })
  const odd = await server((res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"items":"none"}'))
  t.teardown(odd.close)
  t.match(
    await recommendationClient({ url: odd.url, timeoutMs: 2000 })
      .forUser('u', 3)
      .catch((e: unknown) => e),
    { status: 502, message: /unknown shape/ },
  )
  const gone = await server(undefined)
  await gone.close()
  const unreachable = await recommendationClient({ url: gone.url, timeoutMs: 2000 })
    .forUser('u', 3)
    .catch((e: unknown) => e)
  t.ok(unreachable instanceof ProviderError)
  t.match(unreachable, { status: 503, message: /could not be reached/ })
})

t.test('a service that does not answer times out as a 503', async (t) => {
  const silent = await server(undefined)
  t.teardown(silent.close)
  const err = await recommendationClient({ url: silent.url, timeoutMs: 150 })
    .forUser('u', 3)
    .catch((e: unknown) => e)
  t.match(err, { status: 503, message: /could not be reached/ })
  t.match((err as ProviderError).cause, { name: 'TimeoutError' })
})
