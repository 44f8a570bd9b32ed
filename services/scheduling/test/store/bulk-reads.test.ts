// The bulk read formats planning relies on, on real Postgres: array literals out, packed activity
// records and grouped user id lists in, with ids that need escaping and odd byte lengths.
import { openDatabase } from '@attune/kit'
import { createTestDatabase, startTestService } from '@attune/kit/testing'
import { sql } from 'kysely'
import t from 'tap'
import { scheduling } from '../../src/app.ts'
import { BINS } from '../../src/domain/activity-increments.ts'
import { forwardWeight } from '../../src/domain/forward-decay.ts'
import { encodeBins, loadUserActivity } from '../../src/store/activity-store.ts'
import { loadConsents } from '../../src/store/consents-store.ts'
import { numberArray, textArray } from '../../src/store/pg-arrays.ts'
import { loadPreferences } from '../../src/store/preferences-store.ts'
import { segmentsOfUsers } from '../../src/store/segments-store.ts'

const pg = await createTestDatabase()
const database = await openDatabase(pg.url)
const service = await startTestService(scheduling, { database, env: { DISPATCH_ENABLED: 'false' } })
const db = service.context.db
t.teardown(async () => {
  await service.close()
  await database.close()
  await pg.drop()
})

// Ids of 1 to 7 UTF-8 bytes (record padding), with quotes, backslashes, commas, braces and non-ASCII.
const ids = ['a', 'b"q', 'c\\d', 'e,f', '{g}', 'hé', 'NULL', 'ü-12345', '日本']

t.test('array literals round-trip through Postgres', async (t) => {
  const texts = [...ids, null, '']
  const back = await sql<{ v: (string | null)[] }>`select ${textArray(texts)}::text[] as v`.execute(db)
  t.same(back.rows[0]?.v, texts)
  const numbers = [0, -1, 1.5, 1_764_093_600_123]
  const n = await sql<{ v: number[] }>`select ${numberArray(numbers)}::float8[] as v`.execute(db)
  t.same(n.rows[0]?.v, numbers)
  t.throws(() => numberArray([Number.NaN]))
})

t.test('activity rows come back as stored, each user with its own rows', async (t) => {
  const at = (d: number) => new Date(Date.UTC(2026, 10, d, 10, 30, 15, 250))
  const binsOf = (k: number, channel: number) => Array.from({ length: BINS }, (_, h) => (h === (k * 7 + channel) % BINS ? 1.5 + k : h / 1000))
  const rows = ids.flatMap((userId, k) => [
    { userId, channel: 'all', bins: encodeBins(binsOf(k, 0)), events: 10 + k, firstAt: at(1), lastAt: at(20 + (k % 5)), updatedAt: at(21) },
    ...(k % 2 === 0 ? [{ userId, channel: 'push', bins: encodeBins(binsOf(k, 1)), events: k, firstAt: at(2), lastAt: at(3), updatedAt: at(4) }] : []),
    { userId, channel: 'email', bins: encodeBins(binsOf(k, 2)), events: 1, firstAt: at(2), lastAt: at(3), updatedAt: at(4) },
  ])
  await db.insertInto('activityModels').values(rows).execute()
  const got = await loadUserActivity(db, [...ids, 'nobody'], 'push', 14)
  t.equal(got.size, ids.length, 'users without rows are absent')
  ids.forEach((userId, k) => {
    const u = got.get(userId)
    t.same(Array.from(u?.all?.bins ?? []), Array.from(new Float32Array(binsOf(k, 0))), `${userId}: all bins`)
    t.match(u?.all, { events: 10 + k, firstAt: at(1), lastAt: at(20 + (k % 5)), scale: forwardWeight(at(21), 14) })
    if (k % 2 === 0) t.same(Array.from(u?.channel?.bins ?? []), Array.from(new Float32Array(binsOf(k, 1))), `${userId}: push bins`)
    else t.equal(u?.channel, undefined, `${userId}: no push row`)
  })
  t.same([...(await loadUserActivity(db, ids, 'all', 14)).values()].filter((u) => u.channel).length, 0, 'the all channel reads one row per user')
})

t.test('preferences, consents and segments grouped by value, every user mapped', async (t) => {
  const caps = (k: number) => (k % 3 === 0 ? { push: { max: 1, per: 'day' as const } } : {})
  await db
    .insertInto('userPreferences')
    .values(
      ids.map((userId, k) => ({
        userId,
        timeZone: k % 2 ? 'Europe/Paris' : null,
        quietStart: k % 2 ? '22:00' : null,
        quietEnd: k % 2 ? '07:00' : null,
        channels: JSON.stringify({ push: k % 4 !== 0, email: true }),
        frequencyCaps: JSON.stringify(caps(k)),
        nonPersonalized: k === 5,
        updatedAt: new Date(),
      })),
    )
    .execute()
  await db
    .insertInto('userConsents')
    .values(ids.slice(0, 4).map((userId, k) => ({ userId, states: JSON.stringify({ push: k % 2 ? 'revoked' : 'granted' }), asOf: new Date() })))
    .execute()
  const s1 = '00000000-0000-4000-8000-000000000001'
  const s2 = '00000000-0000-4000-8000-000000000002'
  await db
    .insertInto('userSegments')
    .values(ids.flatMap((userId, k) => [{ userId, segmentId: s2, since: new Date() }, ...(k % 2 ? [{ userId, segmentId: s1, since: new Date() }] : [])]))
    .execute()
  const [prefs, consents, segments] = await Promise.all([loadPreferences(db, ids), loadConsents(db, ids), segmentsOfUsers(db, ids)])
  ids.forEach((userId, k) => {
    t.same(
      prefs.get(userId),
      {
        timeZone: k % 2 ? 'Europe/Paris' : null,
        quietStart: k % 2 ? '22:00' : null,
        quietEnd: k % 2 ? '07:00' : null,
        channels: { push: k % 4 !== 0, email: true },
        frequencyCaps: caps(k),
        nonPersonalized: k === 5,
      },
      `${userId}: preferences`,
    )
    t.same(consents.get(userId), k < 4 ? { push: k % 2 ? 'revoked' : 'granted' } : undefined, `${userId}: consents`)
    t.same(segments.get(userId), k % 2 ? [s1, s2] : [s2], `${userId}: segments in id order`)
  })
  t.equal(prefs.get('{g}'), prefs.get('日本'), 'the same settings are one shared object')
})
