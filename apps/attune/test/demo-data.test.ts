import { ExternalId, Interaction, ItemContentFields } from '@attune/contracts'
import { seededRandom } from '@attune/kit'
import t from 'tap'
import { Type } from 'typebox'
import { Value } from 'typebox/value'
import { defaultDemo, demoCategories, demoInteractions, demoItems } from '../src/demo-data.ts'

const now = new Date('2026-11-25T10:00:00.000Z')
const WEEK = 7 * 24 * 3_600_000
const opts = { users: 20, items: 30, interactions: 500, seed: 7, now }

t.test('seededRandom is deterministic and in [0, 1)', async (t) => {
  const a = seededRandom(42)
  const b = seededRandom(42)
  const xs = Array.from({ length: 100 }, () => a())
  t.same(
    Array.from({ length: 100 }, () => b()),
    xs,
  )
  t.ok(xs.every((x) => x >= 0 && x < 1))
  t.not(seededRandom(43)(), xs[0], 'another seed gives another sequence')
})

t.test('the same seed gives the same data, another seed other data', async (t) => {
  t.same(demoInteractions(opts), demoInteractions(opts))
  t.notSame(demoInteractions({ ...opts, seed: 8 }), demoInteractions(opts))
})

t.test('produces the requested count', async (t) => {
  t.equal(demoInteractions(opts).length, 500)
  t.equal(demoInteractions({ ...opts, interactions: 0 }).length, 0)
  t.equal(demoInteractions({ ...opts, interactions: 1 }).length, 1)
})

t.test('every event is a valid Interaction with a unique id', async (t) => {
  const events = demoInteractions({ ...defaultDemo, now })
  t.equal(events.length, defaultDemo.interactions)
  const invalid = events.filter((e) => !Value.Check(Interaction, e))
  t.same(invalid.slice(0, 3), [], 'no invalid events')
  t.equal(new Set(events.map((e) => e.id)).size, events.length, 'ids are unique')
})

t.test('times are within the last week and not in the future', async (t) => {
  const events = demoInteractions(opts)
  const outside = events.filter((e) => {
    const ms = new Date(e.time ?? '').getTime()
    return !(ms <= now.getTime() && ms > now.getTime() - WEEK)
  })
  t.same(outside, [])
})

t.test('events reference the demo users and items, tagged with the item’s category', async (t) => {
  const events = demoInteractions(opts)
  const users = new Set(events.map((e) => e.userId))
  const items = new Set(events.map((e) => ('itemId' in e ? e.itemId : `no item in ${e.type}`)))
  t.ok(
    [...users].every((u) => /^user-00(0[1-9]|1\d|20)$/.test(u ?? '')),
    'users are user-0001 … user-0020',
  )
  t.ok(
    [...items].every((i) => /^article-00(0[1-9]|[12]\d|30)$/.test(i)),
    'items are article-0001 … article-0030',
  )
  // Items are dealt round-robin over the categories: article-0001 is politics, article-0002 sport …
  const mislabelled = events.filter((e) => 'itemId' in e && e.properties?.category !== demoCategories[(Number(e.itemId.slice(8)) - 1) % demoCategories.length])
  t.same(mislabelled, [])
})

t.test('demo items: one valid catalog item per article, consistent with the interactions', async (t) => {
  const items = demoItems({ ...defaultDemo, now })
  t.equal(items.length, defaultDemo.items)
  t.same(demoItems({ ...defaultDemo, now }), items, 'deterministic')
  t.same(
    items.map((i) => i.itemId),
    Array.from({ length: defaultDemo.items }, (_, i) => `article-${String(i + 1).padStart(4, '0')}`),
  )
  const input = Type.Object({ itemId: ExternalId, ...ItemContentFields }, { additionalProperties: false })
  const invalid = items.filter((i) => !Value.Check(Type.Partial(input), i))
  t.same(invalid.slice(0, 3), [], 'every item matches the catalog contract')
  // The category and author an interaction carries are the item's.
  const byId = new Map(items.map((i) => [i.itemId, i]))
  const mismatched = demoInteractions({ ...defaultDemo, now }).filter((e) => {
    if (!('itemId' in e)) return false
    const item = byId.get(e.itemId)
    return item?.categories[0] !== e.properties?.category || item?.author !== e.properties?.author
  })
  t.same(mismatched.slice(0, 3), [])
  t.ok(
    items.every((i) => Date.parse(i.publishedAt) < now.getTime() - WEEK),
    'published before the week of interactions',
  )
  t.ok(
    items.every((i) => i.title.length > 0 && i.text.length > 0),
    'titles and texts',
  )
})
