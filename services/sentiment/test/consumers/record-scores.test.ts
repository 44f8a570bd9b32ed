// recordScores on real Postgres, without a running service: two replicas that see the same negative
// spike at once publish one alert (the unique (dimension, key, window) index), and a rescored text
// moves its counts instead of adding them twice.
import { kitMigrations, migrateSchema, openDatabase, schemaView } from '@attune/kit'
import { createTestDatabase } from '@attune/kit/testing'
import { sql } from 'kysely'
import t from 'tap'
import { migrations } from '../../migrations/index.ts'
import { type RecordDeps, recordScores, rescoreTexts } from '../../src/consumers/record-scores.ts'
import type { SentimentDb } from '../../src/db.ts'
import type { ScoredText } from '../../src/domain/buckets.ts'
import { defaultSpikeOptions } from '../../src/domain/spikes.ts'

const pg = await createTestDatabase()
const database = await openDatabase(pg.url, { poolMax: 4 })
await migrateSchema(database, 'sentiment', { ...kitMigrations, ...migrations })
const db = schemaView<SentimentDb>(database, 'sentiment')
t.teardown(async () => {
  await database.close()
  await pg.drop()
})

const now = new Date('2026-11-24T11:02:00Z')
const deps: RecordDeps = {
  topic: 'attune.sentiment',
  source: 'sentiment',
  now,
  spikes: { ...defaultSpikeOptions, windowMs: 3_600_000, baselineMs: 86_400_000 },
}
const negative = (id: string, itemId: string, at: Date): ScoredText => ({
  textId: id,
  source: 'comment',
  userId: `u-${id}`,
  itemId,
  authorId: null,
  topics: [],
  label: 'negative',
  compound: -0.8,
  emotion: 'anger',
  at,
})
const spikeMessages = async (key: string) =>
  (await db.selectFrom('outbox').select('payload').execute()).filter(
    (r) => r.payload.includes('"sentiment.spike-detected"') && r.payload.includes(`"key":"${key}"`),
  )

t.test('two replicas detecting the same spike at once publish one alert', async (t) => {
  // Different 15-minute buckets, so the two batches share no bucket row lock: only the alert index orders them.
  const first = Array.from({ length: 5 }, (_, i) => negative(`a${i}`, 'hot', now))
  const second = Array.from({ length: 5 }, (_, i) => negative(`b${i}`, 'hot', new Date(now.getTime() - 30 * 60_000)))
  let release = () => {}
  const held = new Promise<void>((resolve) => {
    release = resolve
  })
  let recorded = () => {}
  const firstRecorded = new Promise<void>((resolve) => {
    recorded = resolve
  })
  const replicaA = db.transaction().execute(async (trx) => {
    await recordScores(trx, first, deps)
    recorded()
    await held // replica A has raised the alert but not committed yet
  })
  await firstRecorded
  const replicaB = db.transaction().execute((trx) => recordScores(trx, second, deps))
  // B either finishes (it did not see A's alert and raised its own) or waits on A's index entry.
  const waiting = async () => {
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; ) {
      const r = await sql<{
        n: number
      }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(db)
      if ((r.rows[0]?.n ?? 0) > 0) return 'waiting'
      await new Promise((resolve) => setImmediate(resolve))
    }
    return 'timeout'
  }
  const outcome = await Promise.race([replicaB.then(() => 'finished'), waiting()])
  release()
  await Promise.all([replicaA, replicaB])
  t.equal(outcome, 'waiting', 'replica B waits for A instead of raising its own alert')
  t.equal((await db.selectFrom('spikeAlerts').select('alertId').where('key', '=', 'hot').execute()).length, 1, 'one alert stored')
  t.equal((await spikeMessages('hot')).length, 1, 'one alert published')
})

t.test('a rescored post moves its counts and is published again; unchanged, it publishes nothing', async (t) => {
  const post = (over: Partial<ScoredText>): ScoredText => ({
    textId: 'post:p1',
    source: 'post',
    userId: null,
    itemId: 'p1',
    authorId: 'brand',
    topics: ['app'],
    label: 'positive',
    compound: 0.9,
    emotion: 'joy',
    at: now,
    ...over,
  })
  const bucket = async (dimension: 'item' | 'topic', key: string) =>
    db
      .selectFrom('sentimentBuckets')
      .select(['total', 'negative', 'positive', 'emotions'])
      .where('dimension', '=', dimension)
      .where('key', '=', key)
      .executeTakeFirst()
  const scoredMessages = async () =>
    (await db.selectFrom('outbox').select('payload').execute()).filter((r) => r.payload.includes('"sentiment.scored"') && r.payload.includes('"post:p1"'))

  await db.transaction().execute((trx) => rescoreTexts(trx, [{ textId: 'post:p1', scored: post({}) }], deps))
  t.match(await bucket('item', 'p1'), { total: 1, positive: 1, negative: 0, emotions: { joy: 1 } }, 'never scored: recorded as new')

  const edited = post({ label: 'negative', compound: -0.7, emotion: 'anger', topics: ['billing'] })
  await db.transaction().execute((trx) => rescoreTexts(trx, [{ textId: 'post:p1', scored: edited }], deps))
  t.match(await bucket('item', 'p1'), { total: 1, positive: 0, negative: 1 })
  t.same((await bucket('item', 'p1'))?.emotions, { anger: 1 }, 'the old emotion is counted out')
  t.match(await bucket('topic', 'app'), { total: 0 }, 'the old topic loses it')
  t.match(await bucket('topic', 'billing'), { total: 1, negative: 1 }, 'the new topic gets it')
  t.match(await db.selectFrom('scoredTexts').selectAll().where('textId', '=', 'post:p1').executeTakeFirst(), { label: 'negative', topics: ['billing'] })
  t.equal((await scoredMessages()).length, 2, 'published when created and when changed')

  await db.transaction().execute((trx) => rescoreTexts(trx, [{ textId: 'post:p1', scored: edited }], deps))
  t.equal((await scoredMessages()).length, 2, 'an edit that does not change the score publishes nothing')

  await db.transaction().execute((trx) => rescoreTexts(trx, [{ textId: 'post:p1', scored: undefined }], deps))
  t.match(await bucket('item', 'p1'), { total: 0, negative: 0 }, 'a post that no longer scores leaves the aggregates')
  t.equal(await db.selectFrom('scoredTexts').select('textId').where('textId', '=', 'post:p1').executeTakeFirst(), undefined)
})
