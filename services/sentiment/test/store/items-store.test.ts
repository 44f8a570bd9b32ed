// The catalog copy sentiment keeps (author and topics of items) on real Postgres.
import { kitMigrations, migrateSchema, openDatabase, schemaView } from '@attune/kit'
import { createTestDatabase } from '@attune/kit/testing'
import t from 'tap'
import { migrations } from '../../migrations/index.ts'
import type { SentimentDb } from '../../src/db.ts'
import { itemsByIds, upsertItems } from '../../src/store/items-store.ts'

const pg = await createTestDatabase()
const database = await openDatabase(pg.url)
await migrateSchema(database, 'sentiment', { ...kitMigrations, ...migrations })
const db = schemaView<SentimentDb>(database, 'sentiment')
t.teardown(async () => {
  await database.close()
  await pg.drop()
})

t.test('one batch may update an item twice; the newest update wins, an older one never overwrites', async (t) => {
  const at = (m: number) => new Date(Date.UTC(2026, 10, 24, 10, m))
  await upsertItems(db, [
    { itemId: 'a', authorId: 'old', topics: ['x'], updatedAt: at(1) },
    { itemId: 'a', authorId: 'new', topics: ['y'], updatedAt: at(2) },
    { itemId: 'b', authorId: 'b1', topics: [], updatedAt: at(1) },
  ])
  t.match((await itemsByIds(db, ['a'])).get('a'), { authorId: 'new', topics: ['y'] })
  await upsertItems(db, [{ itemId: 'a', authorId: 'stale', topics: [], updatedAt: at(0) }])
  t.match((await itemsByIds(db, ['a', 'b'])).get('a'), { authorId: 'new' }, 'a late, older update is ignored')
})
