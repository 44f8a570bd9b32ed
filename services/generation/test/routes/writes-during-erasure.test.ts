// Writes of requests in flight while their user is erased (a story or conversation started, an
// output held for review or returned and written behind the response): generation calls the model
// for seconds, so the erasure can run between the request's arrival and its write. Either the
// erasure deletes what it wrote, or the write is refused or left out, so nothing outlives it (on
// real Postgres, with the offline provider; the erasure is run with the kit's own pieces, as its
// erasure consumer runs them, without Kafka).
import { randomUUID } from 'node:crypto'
import { erasureLockKey, type KitTables, lockForErasure, recordErasedSubjects } from '@attune/kit'
import { asAdmin } from '@attune/kit/testing'
import { type Kysely, sql } from 'kysely'
import t from 'tap'
import type { GenerationDb } from '../../src/db.ts'
import { memoryFor } from '../../src/memory/generation-memory.ts'
import { eraseUser } from '../../src/store/erase-user.ts'
import { startHarness } from '../support/harness.ts'

const h = await startHarness({})
t.teardown(() => h.close())
const kit = h.db as unknown as Kysely<KitTables>
const lockKey = erasureLockKey(h.context.schema)

type Answer = Awaited<ReturnType<typeof h.app.inject>>
const post = (url: string, payload: object) => h.app.inject({ method: 'POST', url, headers: asAdmin, payload })
const startStory = (userId: string) =>
  post('/v1/stories', { userId, title: 'The Lantern Road', genre: 'fantasy', rating: 'all_ages', facts: ['Magic is fading'], characters: [] })
const startConversation = (userId: string) => post('/v1/conversations', { userId })
const generate = (userId: string, more: object = {}) => post('/v1/generate', { use: 'caption', userId, brief: { topic: `a lake ${randomUUID()}` }, ...more })
const usage = async () => (await h.app.inject({ url: '/v1/usage', headers: asAdmin })).json() as { requests: number; promptTokens: number }

/** Rows about a user, outputs behind the response written first. */
async function rowsAbout(userId: string): Promise<Record<string, number>> {
  await h.settle()
  const r = await sql<Record<string, number>>`select
      (select count(*)::int from generation.stories where user_id = ${userId}) as stories,
      (select count(*)::int from generation.conversations where user_id = ${userId}) as conversations,
      (select count(*)::int from generation.generations where user_id = ${userId}) as generations,
      (select count(*)::int from generation.reviews r join generation.generations g using (generation_id) where g.user_id = ${userId}) as reviews,
      (select count(*)::int from generation.prompt_cache where user_id = ${userId}) as cache`.execute(h.db)
  return r.rows[0] ?? {}
}
const none = { stories: 0, conversations: 0, generations: 0, reviews: 0, cache: 0 }

/** Tombstones as an erasure asked for `msFromNow` from now leaves them (positive: asked for after the request was received, so in flight). */
async function erasedAt(ids: string[], msFromNow: number): Promise<void> {
  await kit.transaction().execute(async (trx) => {
    await lockForErasure(trx, lockKey)
    await recordErasedSubjects(trx, ids, new Date(Date.now() + msFromNow))
  })
}

/** Sessions of this database waiting for the schema's erasure lock (a two-key advisory lock; `objid` shows the key unsigned). */
async function waitingForTheLock(): Promise<number> {
  const r = await sql<{ n: number }>`select count(*)::int as n from pg_locks
    where locktype = 'advisory' and objsubid = 2 and objid::text::bigint = ${lockKey >>> 0} and not granted
      and database = (select oid from pg_database where datname = current_database())`.execute(h.db)
  return r.rows[0]?.n ?? -1
}

/**
 * Runs `write` while an erasure of `userId` holds the lock, waits until something waits for it,
 * then records the tombstone (asked for now, after the write was received), erases and commits.
 * Returns whether something waited, and the answer once the erasure is done.
 */
async function eraseWhileInFlight<T>(userId: string, write: () => Promise<T>): Promise<{ waited: boolean; answer: T }> {
  let waited = false
  let pending: Promise<T> | undefined
  let answered = false
  await kit.transaction().execute(async (trx) => {
    await lockForErasure(trx, lockKey)
    pending = write().finally(() => {
      answered = true
    })
    for (let i = 0; i < 100 && !waited && !answered; i++) {
      waited = (await waitingForTheLock()) >= 1
      if (!waited) await new Promise((r) => setTimeout(r, 50))
    }
    waited &&= !answered
    await recordErasedSubjects(trx, [userId], new Date())
    await eraseUser(trx as unknown as Kysely<GenerationDb>, userId)
  })
  return { waited, answer: await (pending as Promise<T>) }
}

type Assert = Pick<typeof t, 'equal' | 'match' | 'same'>

function refusedNamingUserId(t: Assert, r: Answer, what: string) {
  t.equal(r.statusCode, 409, `${what}: ${r.body}`)
  t.match(r.headers['content-type'], /^application\/problem\+json/, what)
  t.same(
    r.json().errors.map((e: { field: string; in: string }) => [e.field, e.in]),
    [['/userId', 'body']],
    `${what}: names /userId`,
  )
}

t.test(
  'a story or conversation started by a request received before its user’s erasure was asked for is a 409 naming /userId, and stores nothing',
  async (t) => {
    const userId = `user-${randomUUID()}`
    await erasedAt([userId], 60_000)
    const before = await usage()
    const story = await startStory(userId)
    refusedNamingUserId(t, story, 'story')
    const after = await usage()
    t.equal(after.requests, before.requests + 1, 'the opening’s tokens still count against the key (the key’s usage, not the user’s data)')
    t.ok(after.promptTokens > before.promptTokens)
    refusedNamingUserId(t, await startConversation(userId), 'conversation')
    t.same(await rowsAbout(userId), none, 'nothing about the user was written')

    // Asked for before these requests were received: they are new data.
    const later = `user-${randomUUID()}`
    await erasedAt([later], -1000)
    t.equal((await startStory(later)).statusCode, 201)
    t.equal((await startConversation(later)).statusCode, 201)
    t.match(await rowsAbout(later), { stories: 1, conversations: 1 })
  },
)

t.test('a story start waits for an erasure that holds the lock, then is refused', async (t) => {
  const userId = `user-${randomUUID()}`
  const { waited, answer } = await eraseWhileInFlight(userId, () => startStory(userId))
  t.ok(waited, 'the write waits while the erasure holds its lock')
  refusedNamingUserId(t, answer, 'story')
  t.same(await rowsAbout(userId), none)
})

t.test('an output held for review, for a user erased while it was generated, is a 409 naming /userId; its spend counts', async (t) => {
  const userId = `user-${randomUUID()}`
  await erasedAt([userId], 60_000)
  await h.settle()
  const before = await usage()
  const r = await generate(userId, { publish: true })
  refusedNamingUserId(t, r, 'review')
  t.same(await rowsAbout(userId), none, 'no output, review or cache entry')
  t.equal((await usage()).requests, before.requests + 1, 'the provider call counts against the key')

  const later = `user-${randomUUID()}`
  await erasedAt([later], -1000)
  const fresh = await generate(later, { publish: true })
  t.match(fresh.json(), { review: { status: 'pending', reasons: ['publish'] } }, 'after the erasure was asked for: new data')
  t.match(await rowsAbout(later), { generations: 1, reviews: 1 })
})

t.test('an output returned to a request received before its user’s erasure was asked for is not written; its spend is', async (t) => {
  const userId = `user-${randomUUID()}`
  const other = `user-${randomUUID()}`
  await erasedAt([userId], 60_000)
  await h.settle()
  const before = await usage()
  // Flushed together: the erased user's output is left out of the batch, the other's is written.
  const [r, o] = await Promise.all([generate(userId), generate(other)])
  t.equal(r.statusCode, 200, 'answered before anything is written')
  t.equal(o.statusCode, 200)
  t.same(await rowsAbout(userId), none, 'neither the output nor its cache entry was written')
  t.match(await rowsAbout(other), { generations: 1, cache: 1 })
  t.notOk(memoryFor(h.context).outputs.unwritten(r.json().generationId), 'nor is it kept in memory')
  t.equal((await h.app.inject({ url: `/v1/generations/${r.json().generationId}`, headers: asAdmin })).statusCode, 404)
  t.equal((await usage()).requests, before.requests + 2, 'both provider calls count against the key')

  const later = `user-${randomUUID()}`
  await erasedAt([later], -1000)
  t.equal((await generate(later)).statusCode, 200)
  t.match(await rowsAbout(later), { generations: 1 }, 'received after the erasure was asked for: written')
})

t.test('a flush waits for an erasure that holds the lock, then leaves out the outputs it erased', async (t) => {
  await h.settle()
  const userId = `user-${randomUUID()}`
  const { waited } = await eraseWhileInFlight(userId, async () => {
    const r = await generate(userId)
    t.equal(r.statusCode, 200)
    t.ok(memoryFor(h.context).outputs.unwritten(r.json().generationId), 'not written yet')
    await h.settle()
  })
  t.ok(waited, 'the flush waits while the erasure holds its lock')
  t.same(await rowsAbout(userId), none)
})
