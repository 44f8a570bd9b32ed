// writePieces on real Postgres: several pieces land together or not at all; one piece, or a
// handle that is already a transaction, needs no transaction of its own.
import { openDatabase, writePieces } from '@attune/kit'
import { createTestDatabase } from '@attune/kit/testing'
import { type Kysely, sql } from 'kysely'
import t from 'tap'

interface Db {
  pieces: { n: number }
}
const pg = await createTestDatabase()
const database = await openDatabase(pg.url)
const db = database.root as unknown as Kysely<Db>
await sql`create table pieces (n integer primary key)`.execute(db)
t.teardown(async () => {
  await database.close()
  await pg.drop()
})

const insert = (q: Kysely<Db>, n: number) => q.insertInto('pieces').values({ n }).execute()
const stored = async () => (await db.selectFrom('pieces').select('n').orderBy('n').execute()).map((r) => r.n)

t.test('pieces are written in order, together, in a transaction', async (t) => {
  const inTransaction: boolean[] = []
  await writePieces(db, [1, 2, 3], (q, n) => {
    inTransaction.push(q.isTransaction)
    return insert(q, n)
  })
  t.same(await stored(), [1, 2, 3])
  t.same(inTransaction, [true, true, true])
})

t.test('a piece that fails leaves none of the others written', async (t) => {
  // 3 is stored already: the third piece fails.
  await t.rejects(writePieces(db, [10, 11, 3], insert))
  t.same(await stored(), [1, 2, 3])
})

t.test('one piece: on the handle given, no transaction', async (t) => {
  const handles: Kysely<Db>[] = []
  await writePieces(db, [20], (q, n) => {
    handles.push(q)
    return insert(q, n)
  })
  t.same(handles.length, 1)
  t.equal(handles[0], db)
})

t.test('on a transaction, its own: rolled back with it', async (t) => {
  await t.rejects(
    db.transaction().execute(async (trx) => {
      await writePieces<Db, number>(trx, [30, 31], (q, n) => {
        t.equal(q, trx, 'the caller’s transaction')
        return insert(q, n)
      })
      throw new Error('the caller fails')
    }),
  )
  t.same(await stored(), [1, 2, 3, 20])
})
