// The error handler on real Postgres errors: a write naming a row deleted meanwhile is a 409, not a 500.
import { openDatabase } from '@attune/kit'
import { createTestDatabase } from '@attune/kit/testing'
import Fastify from 'fastify'
import { sql } from 'kysely'
import t from 'tap'
import { errorHandler } from '../src/http/error-handler.ts'

const pg = await createTestDatabase()
const database = await openDatabase(pg.url)
const db = database.root
await sql`create table parents (id integer primary key)`.execute(db)
await sql`create table children (id integer primary key, parent_id integer not null references parents (id) on delete cascade)`.execute(db)
t.teardown(async () => {
  await database.close()
  await pg.drop()
})

const app = Fastify({ logger: false })
app.setErrorHandler(errorHandler)
app.post<{ Params: { parent: string } }>('/parents/:parent/children', async (request) => {
  await sql`insert into children (id, parent_id) values (${Date.now() % 1_000_000}, ${Number(request.params.parent)})`.execute(db)
  return { ok: true }
})
app.get('/broken', async () => {
  await sql`select * from no_such_table`.execute(db)
  return { ok: true }
})
t.teardown(() => app.close())

t.test('a write naming a row that was deleted is a 409 problem, and nothing is stored', async (t) => {
  await sql`insert into parents (id) values (1)`.execute(db)
  t.equal((await app.inject({ method: 'POST', url: '/parents/1/children' })).statusCode, 200)
  await sql`delete from parents where id = 1`.execute(db)
  const r = await app.inject({ method: 'POST', url: '/parents/1/children' })
  t.equal(r.statusCode, 409)
  t.match(r.headers['content-type'], /^application\/problem\+json/)
  t.match(r.json(), { code: 'conflict', status: 409, detail: /deleted while it ran/ })
  t.equal((await sql<{ n: number }>`select count(*)::int as n from children`.execute(db)).rows[0]?.n, 0)
})

t.test('other database errors stay a 500 that names nothing of the cause', async (t) => {
  const r = await app.inject({ method: 'GET', url: '/broken' })
  t.equal(r.statusCode, 500)
  t.notMatch(r.body, /no_such_table/)
})
