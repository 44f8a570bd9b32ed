import { migrateSchema, openDatabase } from '@attune/kit'
import { createTestDatabase } from '@attune/kit/testing'
import { type Kysely, sql } from 'kysely'
import t from 'tap'

const pg = await createTestDatabase()
t.teardown(() => pg.drop())

let runs = 0
const migrations = {
  '0001-create-things': {
    async up(db: Kysely<unknown>) {
      runs++
      await db.schema
        .createTable('things')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .execute()
    },
  },
  '0002-add-name': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('things').addColumn('name', 'text').execute()
    },
  },
}

t.test('replicas starting together migrate once, under the advisory lock', async (t) => {
  const handles = await Promise.all([1, 2, 3].map(() => openDatabase(pg.url)))
  const reports = await Promise.all(handles.map((h) => migrateSchema(h, 'svc', migrations)))
  t.equal(runs, 1)
  t.same(reports.map((r) => r.applied.length).sort(), [0, 0, 2])
  const again = await migrateSchema(handles[0] as (typeof handles)[0], 'svc', migrations)
  t.same(again.applied, [], 'a second run applies nothing')
  const cols = await sql<{
    name: string
  }>`select column_name as name from information_schema.columns where table_schema = 'svc' and table_name = 'things' order by column_name`.execute(
    handles[0]?.root as Kysely<unknown>,
  )
  t.same(
    cols.rows.map((r) => r.name),
    ['id', 'name'],
  )
  await Promise.all(handles.map((h) => h.close()))
})

t.test('a failing migration stops the start and is not recorded', async (t) => {
  const h = await openDatabase(pg.url)
  const broken = { '0001-broken': { up: async (db: Kysely<unknown>) => void (await sql`select * from nowhere`.execute(db)) } }
  await t.rejects(migrateSchema(h, 'broken', broken))
  const recorded = await sql<{ n: number }>`select count(*)::int as n from broken.kysely_migration`.execute(h.root)
  t.equal(recorded.rows[0]?.n, 0)
  await h.close()
})

t.test('raw SQL in a migration lands in the service schema; the connection is reset after', async (t) => {
  const h = await openDatabase(pg.url)
  const raw = { '0001-raw': { up: async (db: Kysely<unknown>) => void (await sql`create table raw_things (id int)`.execute(db)) } }
  await migrateSchema(h, 'rawsvc', raw)
  const where = await sql<{ schema: string }>`select table_schema as schema from information_schema.tables where table_name = 'raw_things'`.execute(h.root)
  t.same(where.rows, [{ schema: 'rawsvc' }])
  const path = await sql<{ p: string }>`select current_setting('search_path') as p`.execute(h.root)
  t.notMatch(path.rows[0]?.p, /rawsvc/, 'no session keeps the migration search path')
  await h.close()
})

t.test('PGlite (embedded mode) migrates the same way', async (t) => {
  const h = await openDatabase('memory://')
  const report = await migrateSchema(h, 'svc', migrations)
  t.same(report.applied, ['0001-create-things', '0002-add-name'])
  await h.close()
})

t.test('a migration added later that sorts before applied ones still runs, once (the kit adds its own between a service’s)', async (t) => {
  const h = await openDatabase(pg.url)
  t.teardown(() => h.close())
  await migrateSchema(h, 'upgraded', { '0005-create-late': migrations['0001-create-things'] })
  const later = {
    '0005-create-late': migrations['0001-create-things'],
    '0002-kit-create-marker': { up: async (db: Kysely<unknown>) => void (await db.schema.createTable('marker').addColumn('x', 'integer').execute()) },
  }
  t.same((await migrateSchema(h, 'upgraded', later)).applied, ['0002-kit-create-marker'])
  t.same((await migrateSchema(h, 'upgraded', later)).applied, [], 'not again')
})
