// Without analytics consent, events are kept only in aggregate or dropped, as configured.
import { randomUUID } from 'node:crypto'
import { MemoryBus, openDatabase } from '@attune/kit'
import { asAdmin, asSite, createTestDatabase, startTestService, waitFor } from '@attune/kit/testing'
import { profiling } from '@attune/profiling'
import { sql } from 'kysely'
import t from 'tap'

const pg = await createTestDatabase()
t.teardown(() => pg.drop())

async function start(mode: 'keep' | 'aggregate' | 'drop') {
  const database = await openDatabase(pg.url)
  const bus = new MemoryBus()
  const service = await startTestService(profiling, { database, bus, env: { ANALYTICS_WITHOUT_CONSENT: mode, DATABASE_SCHEMA: `profiling_${mode}` } })
  const consent = (userId: string, status: string) =>
    service.app.inject({ method: 'POST', url: `/v1/users/${userId}/consents`, headers: asAdmin, payload: { consents: [{ purpose: 'analytics', status }] } })
  const send = (userIds: string[]) =>
    service.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: asSite,
      payload: {
        events: userIds.map((userId) => ({
          id: randomUUID(),
          type: 'view',
          userId,
          itemId: 'item-1',
          properties: { category: 'sport', secret: 'x' },
          context: { locale: 'en' },
        })),
      },
    })
  const stored = async () =>
    (await sql<{ uid: string | null }>`select user_id as uid from ${sql.raw(`profiling_${mode}`)}.events order by received_at`.execute(database.root)).rows.map(
      (r) => r.uid,
    )
  const published = async () => {
    await waitFor(
      async () => (await sql<{ n: number }>`select count(*)::int as n from ${sql.raw(`profiling_${mode}`)}.outbox`.execute(database.root)).rows[0]?.n === 0,
    )
    return bus.messages('attune.interactions').map((m) => JSON.parse(m.value).data.interaction)
  }
  const close = async () => {
    await service.close()
    await database.close()
  }
  return { consent, send, stored, published, close }
}

t.test('keep (default): no choice keeps the event; an explicit refusal keeps it only in aggregate', async (t) => {
  const s = await start('keep')
  t.equal((await s.consent('refuser', 'denied')).statusCode, 201)
  t.equal((await s.consent('granter', 'granted')).statusCode, 201)
  const r = await s.send(['silent', 'refuser', 'granter'])
  t.equal(r.statusCode, 202)
  t.same({ accepted: r.json().accepted, aggregated: r.json().aggregated }, { accepted: 3, aggregated: 1 })
  t.same((await s.stored()).sort(), ['granter', 'silent', null].sort())
  const out = await s.published()
  const anonymous = out.find((i: { userId?: string }) => !i.userId)
  t.same(Object.keys(anonymous).sort(), ['id', 'itemId', 'properties', 'time', 'type'], 'the aggregate event carries no ids, context or other properties')
  t.same(anonymous.properties, { category: 'sport' })
  await s.close()
})

t.test('aggregate: only granted users keep per-user events', async (t) => {
  const s = await start('aggregate')
  await s.consent('granter', 'granted')
  const r = await s.send(['silent', 'granter'])
  t.same(r.json().aggregated, 1)
  t.same((await s.stored()).sort(), ['granter', null].sort())
  await s.close()
})

t.test('drop: events without consent are not stored and are named in the answer', async (t) => {
  const s = await start('drop')
  await s.consent('granter', 'granted')
  await s.consent('revoker', 'granted')
  await s.consent('revoker', 'revoked')
  const r = await s.send(['silent', 'granter', 'revoker'])
  t.equal(r.json().accepted, 1)
  t.equal(r.json().dropped.length, 2)
  t.same(await s.stored(), ['granter'])
  t.same(
    (await s.published()).map((i: { userId: string }) => i.userId),
    ['granter'],
  )
  await s.close()
})
