// serveSlate's JSON, built without Fastify's serializer: it must be the Slate schema exactly, and a
// kept page, turned into JSON once, must still drop what the catalog withdrew or what expired.
import t from 'tap'
import type { Static } from 'typebox'
import { Value } from 'typebox/value'
import type { ExplainedCandidate } from '../../src/domain/reasons.ts'
import type { ModelRegistry } from '../../src/models/model-registry.ts'
import { Slate } from '../../src/schemas/recommendations.ts'
import type { Serving } from '../../src/serving/serving.ts'
import { KEPT_SLATE_REFRESH_MS, type SlateDeps, serveSlate } from '../../src/slates/slate-context.ts'
import { decodeSlateCursor } from '../../src/slates/slate-cursor.ts'
import type { ServedSlate } from '../../src/store/served-store.ts'

const T0 = Date.parse('2026-12-01T12:00:00Z')

function fixture() {
  const expires = new Map<string, number>([['b', T0 + 60_000]])
  const withdrawn = new Set<string>()
  let version = 0
  const models = {
    trainedAt: '2026-12-01T10:00:00.000Z',
    get catalogVersion() {
      return version
    },
    isLive: (id: string, now: number) => !withdrawn.has(id) && now < (expires.get(id) ?? Number.POSITIVE_INFINITY),
    expiresAt: (id: string) => expires.get(id) ?? Number.POSITIVE_INFINITY,
    itemView: (id: string) => ({
      type: 'article',
      title: `Story “${id}” — été`,
      categories: ['news'],
      author: null,
      language: 'fr',
      publishedAt: '2026-12-01T08:00:00.000Z',
    }),
  }
  const recorded: ServedSlate[] = []
  const serving = { served: { record: (s: ServedSlate) => recorded.push(s) } }
  const deps = (now: number): SlateDeps => ({
    db: undefined as never,
    models: models as unknown as ModelRegistry,
    serving: serving as unknown as Serving,
    now: new Date(now),
  })
  const withdraw = (id: string) => {
    withdrawn.add(id)
    version++
  }
  return { deps, recorded, withdraw }
}

const candidates: readonly ExplainedCandidate[] = ['a', 'b', 'c', 'd'].map((id, i) => ({
  itemId: id,
  score: 1 / (i + 1),
  reasons: [{ kind: 'because-you-engaged', text: `Because you read “x${i}”`, itemIds: [`x${i}`] }],
}))
const serveArgs = (kept: boolean, count = 3, withItems = true) => ({
  userId: 'u-1',
  scenario: 'home',
  kind: 'recommendations' as const,
  count,
  personalized: true,
  previous: undefined,
  excluded: () => new Set(['n']),
  candidates,
  kept,
  withItems,
})
const serve = (f: ReturnType<typeof fixture>, now: number, kept: boolean, count = 3, withItems = true) =>
  serveSlate(f.deps(now), serveArgs(kept, count, withItems))
const parse = (body: Buffer) => JSON.parse(body.toString('utf8')) as Static<typeof Slate>

t.test('the body is the Slate schema, non-ASCII text intact, with its own id and cursor', async (t) => {
  const f = fixture()
  const reply = serve(f, T0, false)
  const body = parse(reply.body)
  t.ok(Value.Check(Slate, body), [...Value.Errors(Slate, body)].map((e) => `${e.instancePath} ${e.message}`).join('; '))
  t.equal(body.recommendationId, reply.recommendationId)
  t.same(
    body.items.map((i) => i.itemId),
    ['a', 'b', 'c'],
  )
  t.equal(body.items[0]?.item?.title, 'Story “a” — été')
  t.equal(decodeSlateCursor(body.nextCursor as string), reply.recommendationId, 'a full page has a cursor to its own id')
  t.same(f.recorded[0]?.itemIds, ['a', 'b', 'c'])
  t.same(f.recorded[0]?.excludedIds, ['n'])
  t.equal(parse(serve(f, T0, false, 5).body).nextCursor, null, 'a short page is the end')
  const lean = parse(serve(f, T0, false, 3, false).body)
  t.ok(Value.Check(Slate, lean))
  t.same(Object.keys(lean.items[0] ?? {}), ['itemId', 'rank', 'score', 'reasons'], 'catalog fields only when asked for')
  const wide = parse(serveSlate(f.deps(T0), { ...serveArgs(true), userId: 'jürgen-“7”', scenario: 'accueil-été' }).body)
  t.equal(wide.userId, 'jürgen-“7”', 'a non-ASCII user id and scenario are sized and written as UTF-8')
  t.equal(wide.scenario, 'accueil-été')
  t.ok(Value.Check(Slate, wide))
})

t.test('a kept page is served again with a new id, and still drops what was withdrawn or expired', async (t) => {
  const f = fixture()
  const first = parse(serve(f, T0, true).body)
  const again = parse(serve(f, T0 + 1000, true).body)
  t.not(again.recommendationId, first.recommendationId)
  t.equal(again.nextCursor, first.nextCursor, 'the same slate: its cursor pages on from the same record')
  t.same(again.items, first.items, 'the same items, ranks, scores and reasons')
  t.same(
    parse(serve(f, T0 + 1000, true, 3, false).body).items,
    first.items.map(({ item: _, ...lean }) => lean),
    'the same page without catalog fields',
  )
  t.equal(f.recorded.length, 1, 'the kept page is recorded once')
  t.equal(f.recorded[0]?.recommendationId, first.recommendationId, 'under the id of the response that first served it')
  t.equal(decodeSlateCursor(again.nextCursor as string), first.recommendationId, 'later serves page on from that record')

  f.withdraw('a')
  t.same(
    parse(serve(f, T0 + 2000, true).body).items.map((i) => i.itemId),
    ['b', 'c', 'd'],
    'a withdrawal since reaches the kept page',
  )
  t.same(
    parse(serve(f, T0 + 60_000, true).body).items.map((i) => i.itemId),
    ['c', 'd'],
    'so does an expiry',
  )
  t.same(f.recorded.at(-1)?.itemIds, ['c', 'd'])
  t.equal(f.recorded.length, 3, 'a changed page is recorded anew')
})

t.test('a kept page is recorded per scenario, and again after an hour', async (t) => {
  const f = fixture()
  // One item that never expires, so only the hour makes the page be recorded again.
  const serveOne = (now: number, scenario = 'home') => parse(serveSlate(f.deps(now), { ...serveArgs(true, 1), scenario }).body)
  const first = serveOne(T0)
  const other = serveOne(T0 + 1, 'article-bottom')
  t.equal(f.recorded.length, 2, 'another scenario is its own slate')
  t.equal(f.recorded[1]?.scenario, 'article-bottom')
  t.equal(decodeSlateCursor(other.nextCursor as string), other.recommendationId)
  t.equal(decodeSlateCursor(serveOne(T0 + KEPT_SLATE_REFRESH_MS - 1).nextCursor as string), first.recommendationId)
  t.equal(f.recorded.length, 2)
  const later = serveOne(T0 + KEPT_SLATE_REFRESH_MS)
  t.equal(f.recorded.length, 3, 'recorded again, so retention never purges a slate still handed out')
  t.equal(decodeSlateCursor(later.nextCursor as string), later.recommendationId)
  t.equal(f.recorded[2]?.servedAt.getTime(), T0 + KEPT_SLATE_REFRESH_MS)
})
