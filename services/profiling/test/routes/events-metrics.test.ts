// /metrics counts each event sent to POST /v1/events by what became of it, as the answer reports it.
import { randomUUID } from 'node:crypto'
import { erasureLockKey, type KitTables, lockForErasure, recordErasedSubjects } from '@attune/kit'
import { asAdmin, asSite, startTestService, startTestServiceOnNewDatabase } from '@attune/kit/testing'
import { profiling } from '@attune/profiling'
import type { Kysely } from 'kysely'
import t from 'tap'

const { service, database } = await startTestServiceOnNewDatabase(t, profiling)
const { app, context } = service

type App = typeof app
const view = (userId: string) => ({ id: randomUUID(), type: 'view', userId, itemId: 'item-1' })
const post = (on: App, events: unknown[]) => on.inject({ method: 'POST', url: '/v1/events', headers: asSite, payload: { events } })

/** `collected_events_total` by outcome, read from /metrics. */
async function collected(on: App): Promise<Record<string, number>> {
  const r = await on.inject({ url: '/metrics' })
  const out: Record<string, number> = {}
  for (const [, labels, value] of r.body.matchAll(/^collected_events_total\{([^}]*)\} (\S+)$/gm)) {
    const outcome = /outcome="([^"]+)"/.exec(labels ?? '')?.[1]
    if (outcome) out[outcome] = Number(value)
  }
  return out
}

const none = { accepted: 0, aggregated: 0, duplicate: 0, dropped: 0, suppressed: 0, erased: 0 }

t.test('each event of an answer is counted once, under its outcome', async (t) => {
  t.same(await collected(app), none, 'every outcome is exposed from the start')

  const refuser = `user-${randomUUID()}`
  const consent = await app.inject({
    method: 'POST',
    url: `/v1/users/${refuser}/consents`,
    headers: asAdmin,
    payload: { consents: [{ purpose: 'analytics', status: 'denied' }] },
  })
  t.equal(consent.statusCode, 201)
  const suppressed = `user-${randomUUID()}`
  t.equal((await app.inject({ method: 'PUT', url: `/v1/privacy/suppressions/${suppressed}`, headers: asAdmin })).statusCode, 200)
  // Erased while the request is in flight: the erasure, asked for after the events were received, has run.
  const erased = `user-${randomUUID()}`
  await (context.db as unknown as Kysely<KitTables>).transaction().execute(async (trx) => {
    await lockForErasure(trx, erasureLockKey(context.schema))
    await recordErasedSubjects(trx, [erased], new Date(Date.now() + 60_000))
  })

  const kept = view(`user-${randomUUID()}`)
  const [refused, late, later] = [view(suppressed), view(erased), view(erased)]
  const first = await post(app, [kept, view(`user-${randomUUID()}`), view(refuser), refused, late, later])
  t.same(first.json(), { accepted: 3, duplicates: [], aggregated: 1, suppressed: [refused.id], erased: [late.id, later.id] })
  const repeated = view(`user-${randomUUID()}`)
  const second = await post(app, [kept, repeated, repeated])
  t.same(second.json(), { accepted: 1, duplicates: [repeated.id, kept.id] }, 'one already stored, one repeated in the batch')

  t.same(await collected(app), { accepted: 3, aggregated: 1, duplicate: 2, dropped: 0, suppressed: 1, erased: 2 })
  const invalid = await post(app, [{ id: randomUUID(), type: 'view', itemId: 'item-1' }])
  t.equal(invalid.statusCode, 400)
  t.same(await collected(app), { accepted: 3, aggregated: 1, duplicate: 2, dropped: 0, suppressed: 1, erased: 2 }, 'a batch rejected whole counts nothing')
})

t.test('events dropped for lack of consent are counted as dropped', async (t) => {
  const dropping = await startTestService(profiling, {
    database,
    env: { ANALYTICS_WITHOUT_CONSENT: 'drop', DATABASE_SCHEMA: 'profiling_drop' },
    start: false,
  })
  t.teardown(() => dropping.close())
  const r = await post(dropping.app, [view(`user-${randomUUID()}`), view(`user-${randomUUID()}`)])
  t.equal(r.json().dropped?.length, 2)
  t.same(await collected(dropping.app), { ...none, dropped: 2 }, 'on that service’s own registry')
})
