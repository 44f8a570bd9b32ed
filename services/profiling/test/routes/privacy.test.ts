// Privacy rights in profiling alone (PRIVACY_SERVICES=profiling): export, erasure of every row
// about a user (merged anonymous ids included), request tracking, and retention of raw events.
import { createHash, randomUUID } from 'node:crypto'
import { MemoryBus } from '@attune/kit'
import { asAdmin, asSite, startTestServiceOnNewDatabase, waitFor } from '@attune/kit/testing'
import { profiling } from '@attune/profiling'
import { sql } from 'kysely'
import t from 'tap'

const bus = new MemoryBus()
const { service, database } = await startTestServiceOnNewDatabase(t, profiling, { bus, env: { PRIVACY_SERVICES: 'profiling' } })
const { app } = service

const DAY_MS = 86_400_000
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex')
const event = (over: Record<string, unknown>) => ({ id: randomUUID(), type: 'view', itemId: 'article-1', ...over })
const collect = async (events: unknown[]) => {
  const r = await app.inject({ method: 'POST', url: '/v1/events', headers: asSite, payload: { events } })
  if (r.statusCode !== 202) throw new Error(`collect failed: ${r.body}`)
}
const getRequest = (id: string) => app.inject({ url: `/v1/privacy/requests/${id}`, headers: asAdmin })
const completed = (id: string) =>
  waitFor(
    async () => {
      const body = (await getRequest(id)).json()
      return body.status === 'completed' ? body : undefined
    },
    { what: `request ${id} to complete` },
  )
const scalar = async (q: ReturnType<typeof sql<{ n: number }>>) => (await q.execute(database.root)).rows[0]?.n ?? 0
const outboxDrained = () =>
  waitFor(async () => (await scalar(sql<{ n: number }>`select count(*)::int as n from profiling.outbox`)) === 0, { what: 'outbox to drain' })

/** Rows in any profiling table whose user_id or anonymous_id is one of `ids`. */
async function rowsAbout(ids: string[]): Promise<Record<string, number>> {
  const cols = await sql<{ tbl: string; col: string }>`
    select table_name as tbl, column_name as col from information_schema.columns
    where table_schema = 'profiling' and column_name in ('user_id', 'anonymous_id')`.execute(database.root)
  const out: Record<string, number> = {}
  for (const c of cols.rows) {
    const n = await scalar(sql<{ n: number }>`select count(*)::int as n from ${sql.table(`profiling.${c.tbl}`)} where ${sql.ref(c.col)} in (${sql.join(ids)})`)
    if (n > 0) out[`${c.tbl}.${c.col}`] = n
  }
  return out
}

t.test('erasure deletes every profiling row about the user, merged anonymous history included', async (t) => {
  await collect([
    event({ anonymousId: 'anon-e1' }),
    event({ userId: 'user-e1', anonymousId: 'anon-e1', type: 'like' }),
    event({ userId: 'user-e1', type: 'dwell', seconds: 30 }),
    event({ userId: 'user-keep', type: 'click' }),
  ])
  const prefs = await app.inject({ method: 'PATCH', url: '/v1/users/user-e1/preferences', headers: asAdmin, payload: { mutedTopics: ['cricket'] } })
  t.equal(prefs.statusCode, 200, 'the user has preferences too')
  await outboxDrained()
  await waitFor(async () => (await scalar(sql<{ n: number }>`select count(*)::int as n from profiling.identity_links where user_id = 'user-e1'`)) === 1, {
    what: 'the identity merge',
  })
  await waitFor(async () => (await rowsAbout(['user-e1']))['profiles.user_id'] === 1, { what: 'the profile' })
  t.match(
    await rowsAbout(['user-e1', 'anon-e1']),
    { 'events.user_id': 3, 'identity_links.user_id': 1, 'profiles.user_id': 1, 'preferences.user_id': 1 },
    'the user has events (the anonymous one merged), an identity link, a profile and preferences',
  )
  const keepBefore = await rowsAbout(['user-keep'])

  const r = await app.inject({ method: 'POST', url: '/v1/privacy/erasure/user-e1', headers: asAdmin })
  t.equal(r.statusCode, 202)
  const started = r.json()
  t.match(started, { kind: 'erasure', status: 'pending', userId: 'user-e1', userIdHash: sha256('user-e1'), services: ['profiling'], awaiting: ['profiling'] })

  const done = await completed(started.id)
  t.match(done, { id: started.id, kind: 'erasure', status: 'completed', userId: null, userIdHash: sha256('user-e1'), awaiting: [] })
  t.same(
    done.confirmations.map((c: { service: string }) => c.service),
    ['profiling'],
  )
  t.ok(Date.parse(done.confirmations[0].confirmedAt) >= Date.parse(done.requestedAt), 'confirmation time is recorded')
  t.ok(done.completedAt, 'completion time is recorded')
  t.same(await rowsAbout(['user-e1', 'anon-e1']), {}, 'no row about the user or their anonymous id is left, the request included')
  t.same(await rowsAbout(['user-keep']), keepBefore, "another user's rows are untouched")
  const stored = await sql<Record<string, unknown>>`select * from profiling.privacy_requests where id = ${started.id}`.execute(database.root)
  t.notMatch(JSON.stringify(stored.rows), /user-e1/, 'the request row keeps only the hash')
  const published = bus.messages('attune.privacy').map((m) => JSON.parse(m.value))
  const requested = published.find((e) => e.type === 'privacy.erasure-requested' && e.data.requestId === started.id)
  t.equal(requested?.subject, 'user-e1', 'the request went out on attune.privacy keyed by the user')
  t.same(requested?.data.anonymousIds, ['anon-e1'], 'naming the anonymous id merged into the user, for services that have not seen the merge')
  const tombstones = await sql<{ h: string }>`select subject_hash as h from profiling.erased_subjects`.execute(database.root)
  t.same(tombstones.rows.map((r) => r.h).sort(), [sha256('user-e1'), sha256('anon-e1')].sort(), 'tombstones of both, as hashes')
  t.ok(published.some((e) => e.type === 'privacy.erasure-completed' && e.data.requestId === started.id && e.data.service === 'profiling'))
})

t.test('an erasure for a user profiling never saw is accepted and completes; repeating it is safe', async (t) => {
  const first = await app.inject({ method: 'POST', url: '/v1/privacy/erasure/nobody-ever', headers: asAdmin })
  t.equal(first.statusCode, 202)
  await completed(first.json().id)
  const again = await app.inject({ method: 'POST', url: '/v1/privacy/erasure/nobody-ever', headers: asAdmin })
  t.equal(again.statusCode, 202)
  t.not(again.json().id, first.json().id, 'a completed erasure is not reopened; a new one is tracked')
  await completed(again.json().id)
})

t.test('export returns what profiling holds about the user once completed', async (t) => {
  const mine = [event({ userId: 'user-x1' }), event({ userId: 'user-x1', type: 'rating', value: 4 })]
  await collect([...mine, event({ userId: 'user-other' })])
  await outboxDrained()
  const r = await app.inject({ method: 'POST', url: '/v1/privacy/export/user-x1', headers: asAdmin })
  t.equal(r.statusCode, 202)
  t.match(r.json(), { kind: 'export', status: 'pending', userId: 'user-x1', services: ['profiling'] })
  t.notOk('result' in r.json(), 'no result while pending')
  const done = await completed(r.json().id)
  t.same(
    done.confirmations.map((c: { service: string }) => c.service),
    ['profiling'],
  )
  t.equal(done.result.userId, 'user-x1')
  t.same(done.result.events.map((e: { id: string }) => e.id).sort(), mine.map((e) => e.id).sort(), "the user's events, and only theirs")
  t.equal(done.result.events.find((e: { type: string }) => e.type === 'rating')?.interaction.value, 4, 'events carry what was collected')
})

t.test('an erasure after an export also drops the export result', async (t) => {
  await collect([event({ userId: 'user-x2' })])
  await outboxDrained()
  const exp = await app.inject({ method: 'POST', url: '/v1/privacy/export/user-x2', headers: asAdmin })
  await completed(exp.json().id)
  const era = await app.inject({ method: 'POST', url: '/v1/privacy/erasure/user-x2', headers: asAdmin })
  await completed(era.json().id)
  const after = (await getRequest(exp.json().id)).json()
  t.equal(after.userId, null)
  t.equal(after.result, null, 'the exported data is gone too')
})

t.test('unknown request id → 404 problem; malformed ids → 400 naming the field', async (t) => {
  const unknown = await getRequest(randomUUID())
  t.equal(unknown.statusCode, 404)
  t.match(String(unknown.headers['content-type']), /^application\/problem\+json/)
  t.equal(unknown.json().code, 'not_found')
  const badId = await getRequest('not-a-uuid')
  t.equal(badId.statusCode, 400)
  t.ok(badId.json().errors?.some((e: { field: string; in: string }) => e.field === '/id' && e.in === 'params'))
  for (const url of ['/v1/privacy/erasure/has%20space', '/v1/privacy/export/tab%09bed']) {
    const r = await app.inject({ method: 'POST', url, headers: asAdmin })
    t.equal(r.statusCode, 400, url)
    t.equal(r.json().code, 'validation_failed')
    t.ok(
      r.json().errors?.some((e: { field: string; in: string }) => e.field === '/userId' && e.in === 'params'),
      `names /userId: ${r.body}`,
    )
  }
  t.equal(await scalar(sql<{ n: number }>`select count(*)::int as n from profiling.privacy_requests where user_id like 'has%' or user_id like 'tab%'`), 0)
})

t.test('privacy routes need a secret key', async (t) => {
  const pub = await app.inject({ method: 'POST', url: '/v1/privacy/erasure/user-1', headers: asSite })
  t.equal(pub.statusCode, 403)
  t.equal((await app.inject({ method: 'POST', url: '/v1/privacy/retention/run' })).statusCode, 401)
  t.equal((await app.inject({ url: `/v1/privacy/requests/${randomUUID()}`, headers: asSite })).statusCode, 403)
})

t.test('retention purges only raw events past EVENT_RETENTION_DAYS; aggregates stay', async (t) => {
  const now = Date.now()
  const old = event({ userId: 'user-r1', time: new Date(now - 400 * DAY_MS).toISOString() })
  const recent = event({ userId: 'user-r1', time: new Date(now - 10 * DAY_MS).toISOString() })
  const edge = event({ userId: 'user-r1', time: new Date(now - 394 * DAY_MS).toISOString() })
  await collect([old, recent, edge])
  await outboxDrained()
  // The profile's aggregates: first seen (the purged event's time) and its daily counts, which
  // keep only the last 90 days (the longest trait window), so only the recent event is counted there.
  const aggregates = async () =>
    (
      await sql<{ firstSeen: Date; counted: number }>`
        select first_seen as "firstSeen", (select coalesce(sum(value::int), 0) from jsonb_each_text(traits) where left(key, 2) = 'd:')::int as counted
        from profiling.profiles where user_id = 'user-r1'`.execute(database.root)
    ).rows[0]
  await waitFor(async () => (await aggregates())?.counted === 1, { what: 'the daily counts' })
  const before = await aggregates()
  t.equal(before?.firstSeen.getTime(), now - 400 * DAY_MS, 'first seen is the oldest event')
  const r = await app.inject({ method: 'POST', url: '/v1/privacy/retention/run', headers: asAdmin })
  t.equal(r.statusCode, 200)
  t.equal(r.json().purged, 1)
  t.ok(Math.abs(Date.parse(r.json().cutoff) - (now - 395 * DAY_MS)) < 60_000, 'cutoff is now minus 395 days')
  const left = await sql<{ id: string }>`select id from profiling.events where user_id = 'user-r1' order by occurred_at`.execute(database.root)
  t.same(
    left.rows.map((x) => x.id),
    [edge.id, recent.id],
  )
  t.same(await aggregates(), before, 'aggregates built from the purged event stay')
  t.equal((await app.inject({ method: 'POST', url: '/v1/privacy/retention/run', headers: asAdmin })).json().purged, 0, 'a second run purges nothing')
})
