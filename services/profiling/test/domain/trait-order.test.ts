import t from 'tap'
import { compareCodePoints, traitDeltas } from '../../src/domain/trait-documents.ts'
import { foldTraitIncrements } from '../../src/domain/trait-increments.ts'

// Postgres locks a call's profiles in `collate "C"` order (UTF-8 bytes); the calls of one commit
// must follow the same order, or two commits could lock two profiles in opposite orders.
const ids = ['user-b', 'user-a', 'u\u{1F600}', 'u\uFF21', 'u\uE000', 'u\u00E9', 'u', 'uZ', 'u\u{10FFFF}', 'u\uD7FF']
const utf8Order = [...ids].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))

t.test('compareCodePoints orders as UTF-8 bytes do, unlike <', async (t) => {
  t.same([...ids].sort(compareCodePoints), utf8Order)
  t.notSame(
    [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    utf8Order,
    'UTF-16 order puts the emoji before U+FF21',
  )
  t.equal(compareCodePoints('abc', 'abc'), 0)
  t.ok(compareCodePoints('ab', 'abc') < 0)
})

t.test('trait deltas come in that order', async (t) => {
  const time = new Date('2026-11-25T12:00:00Z')
  const batch = ids.map((profileId, i) => ({
    profileId,
    time,
    interaction: { id: `00000000-0000-4000-8000-00000000000${i}`, type: 'view' as const, userId: profileId, itemId: 'i' },
  }))
  t.same(
    traitDeltas(foldTraitIncrements(batch), time).map((d) => d.u),
    utf8Order,
  )
})
