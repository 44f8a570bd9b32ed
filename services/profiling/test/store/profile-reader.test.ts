import t from 'tap'
import { mergeIdentity } from '../../src/store/identity-store.ts'
import { profileReader } from '../../src/store/profile-reader.ts'
import { patchAttributes } from '../../src/store/profiles-store.ts'
import { storeContext } from '../support/store-context.ts'

const { db, schema } = await storeContext(t)

const now = new Date('2026-11-25T12:00:00Z')

t.test('reads that arrive while one runs share one query and each gets its own profile', async (t) => {
  await patchAttributes(db, 'reader-a', { plan: 'a' }, now)
  await patchAttributes(db, 'reader-b', { plan: 'b' }, now)
  await patchAttributes(db, 'reader-anon', { plan: 'anon' }, now)
  await db.transaction().execute((trx) => mergeIdentity(trx, schema, 'reader-anon', 'reader-b', 'api', now))

  let queries = 0
  const counting = db.withPlugin({
    transformQuery: (args) => {
      queries++
      return args.node
    },
    transformResult: async (args) => args.result,
  })
  const reader = profileReader(counting, schema, () => now, { maxInFlight: 1, maxBatch: 64 })
  const [a, unknown, b, anon, again] = await Promise.all(['reader-a', 'reader-nobody', 'reader-b', 'reader-anon', 'reader-a'].map((id) => reader.read(id)))
  t.equal(queries, 2, 'the first read goes at once, the four that arrive while it runs go together')
  t.same(a?.attributes, { plan: 'a' })
  t.equal(unknown, undefined, 'an unknown id reads as absent')
  t.same(b?.attributes, { plan: 'b' })
  t.equal(anon?.userId, 'reader-b', 'a merged anonymous id reads as its user')
  t.same(anon?.mergedAnonymousIds, ['reader-anon'])
  t.same(again?.attributes, { plan: 'a' }, 'the same id twice in one batch')
})

t.test('nothing is cached: a later read sees a change committed in between', async (t) => {
  const reader = profileReader(db, schema, () => now)
  t.same((await reader.read('reader-a'))?.attributes, { plan: 'a' })
  await patchAttributes(db, 'reader-a', { plan: 'changed' }, now)
  t.same((await reader.read('reader-a'))?.attributes, { plan: 'changed' })
})
