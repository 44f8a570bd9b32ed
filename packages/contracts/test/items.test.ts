import t from 'tap'
import { Value } from 'typebox/value'
import { Item, ItemRemoved, ItemUpserted } from '../src/items.ts'

const example = (Item as { examples?: unknown[] }).examples?.[0] as Record<string, unknown>
const envelope = {
  id: '0192f0a4-7c1e-7bb2-9a51-2f0c7c2f6a10',
  source: 'recommendation',
  time: '2026-11-25T09:00:00.000Z',
  subject: 'article-7',
  schemaVersion: 1,
}

t.test('the documented item is valid, and so are both catalog events', async (t) => {
  t.ok(Value.Check(Item, example))
  t.ok(Value.Check(ItemUpserted, { ...envelope, type: 'item.upserted', data: { item: example, created: true } }))
  t.ok(Value.Check(ItemRemoved, { ...envelope, type: 'item.removed', data: { itemId: 'article-7', removedAt: '2026-11-25T09:00:00.000Z' } }))
})

t.test('types are open but lowercase; labels are trimmed; authors are ids', async (t) => {
  t.ok(Value.Check(Item, { ...example, type: 'recipe' }))
  t.ok(Value.Check(Item, { ...example, type: 'my_custom-type2' }))
  for (const bad of [
    { type: 'Video' },
    { type: '' },
    { categories: [' padded'] },
    { categories: ['same', 'same'] },
    { author: 'has space' },
    { language: 'english!' },
    { hidden: 'no' },
    { extra: 1 },
  ])
    t.notOk(Value.Check(Item, { ...example, ...bad }), JSON.stringify(bad))
})
