// What POST /v1/generate keeps in memory instead of reading and writing Postgres per request, on
// real Postgres: a voice or policy change applies to the next request, budgets hold while spend
// is still unwritten (and other replicas' spend arrives), returned outputs are written behind the
// response, and an erased user's unwritten outputs never land.
import { asAdmin, waitFor } from '@attune/kit/testing'
import t from 'tap'
import { memoryFor } from '../../src/memory/generation-memory.ts'
import { utcDay } from '../../src/store/usage-store.ts'
import { startFakeOpenAi } from '../support/fake-openai.ts'
import { startHarness } from '../support/harness.ts'

const BUDGET = 3000
const fake = await startFakeOpenAi()
const h = await startHarness({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake.url, OPENAI_MAX_RETRIES: '0', GENERATION_TOKEN_BUDGET: String(BUDGET) })
t.teardown(async () => {
  await h.close()
  await fake.close()
})
const generate = (payload: object) => h.app.inject({ method: 'POST', url: '/v1/generate', headers: asAdmin, payload: { cache: false, ...payload } })
const lastSystemPrompt = () => fake.requests.at(-1)?.body.messages?.[0]?.content ?? ''
const generationsOf = async (userId: string) =>
  (await h.db.selectFrom('generations').select('generationId').where('userId', '=', userId).execute()).map((r) => r.generationId)

t.test('a voice update or delete applies to the very next request', async (t) => {
  const voice = (
    await h.app.inject({ method: 'POST', url: '/v1/voices', headers: asAdmin, payload: { name: 'Cached', tone: 'dry and precise', bannedWords: ['cheap'] } })
  ).json()
  t.match((await generate({ use: 'post', voiceId: voice.voiceId, brief: { topic: 'a' } })).json().why.voice, { version: 1 })
  t.match(lastSystemPrompt(), /dry and precise/)
  const put = await h.app.inject({
    method: 'PUT',
    url: `/v1/voices/${voice.voiceId}`,
    headers: asAdmin,
    payload: { name: 'Cached', tone: 'warm and playful', bannedWords: ['cheap', 'deal'] },
  })
  t.equal(put.statusCode, 200, put.body)
  const after = await generate({ use: 'post', voiceId: voice.voiceId, brief: { topic: 'b' } })
  t.match(after.json().why.voice, { version: 2 })
  t.match(lastSystemPrompt(), /warm and playful[\s\S]*cheap, deal/)
  t.equal((await h.app.inject({ method: 'DELETE', url: `/v1/voices/${voice.voiceId}`, headers: asAdmin })).statusCode, 204)
  const gone = await generate({ use: 'post', voiceId: voice.voiceId, brief: { topic: 'c' } })
  t.equal(gone.statusCode, 400)
  t.equal(gone.json().errors[0].field, '/voiceId')
})

t.test('a policy change applies to the very next request', async (t) => {
  fake.script({ answer: "I'll hurt you if you miss this sale." })
  t.match((await generate({ use: 'reply', brief: { topic: 'sale', replyTo: 'when?' } })).json().review, { reasons: ['flagged'] })
  await h.app.inject({
    method: 'PUT',
    url: '/v1/policies/reply',
    headers: asAdmin,
    payload: { flagThreshold: 0.95, blockThreshold: 0.99, reviewPublished: false },
  })
  fake.script({ answer: "I'll hurt you if you miss this sale." })
  t.equal((await generate({ use: 'reply', brief: { topic: 'sale', replyTo: 'when?' } })).json().review, null)
})

t.test('a flagged output is in the review queue before it is returned as pending', async (t) => {
  fake.script({ answer: "I'll hurt you if you miss this sale." })
  const r = await generate({ use: 'post', brief: { topic: 'sale' } })
  const reviewId = r.json().review.reviewId
  const row = await h.db.selectFrom('reviews').select(['status', 'generationId']).where('reviewId', '=', reviewId).executeTakeFirst()
  t.same(row, { status: 'pending', generationId: r.json().generationId }, 'written, without waiting for any flush')
})

t.test('returned outputs are answered at once and written behind the response', async (t) => {
  const r = await generate({ use: 'caption', userId: 'behind-1', brief: { topic: 'a lake' } })
  t.equal(r.statusCode, 200, r.body)
  const { generationId } = r.json()
  const got = await h.app.inject({ url: `/v1/generations/${generationId}`, headers: asAdmin })
  t.same(got.json(), r.json(), 'read back before or after it is written')
  await waitFor(async () => (await generationsOf('behind-1')).includes(generationId), { what: 'the output written' })
  t.pass('written within the flush interval, without a further request')
  await h.settle()
  t.notOk(memoryFor(h.context).outputs.unwritten(generationId), 'nothing of it is kept in memory once written')
  const again = await h.app.inject({ url: `/v1/generations/${generationId}`, headers: asAdmin })
  t.same(again.json(), r.json(), 'read back from the table as it was returned')
})

t.test('erasure drops unwritten outputs; their spend still counts', async (t) => {
  await h.settle()
  const usage = async () => (await h.app.inject({ url: '/v1/usage', headers: asAdmin })).json()
  const before = await usage()
  const r = await generate({ use: 'caption', userId: 'erased-1', brief: { topic: 'a secret' } })
  await memoryFor(h.context).forget('erased-1')
  await h.settle()
  t.same(await generationsOf('erased-1'), [])
  t.equal((await h.app.inject({ url: `/v1/generations/${r.json().generationId}`, headers: asAdmin })).statusCode, 404)
  const after = await usage()
  t.equal(after.requests, before.requests + 1, 'the key’s usage is not the user’s data')
  t.equal(after.promptTokens - before.promptTokens, r.json().usage.promptTokens)
})

t.test('each batch shape (with and without cache entries) is written, in any order', async (t) => {
  await h.settle()
  const ids: string[] = []
  for (const cache of [false, true, false, true]) {
    const r = await generate({ use: 'notification', userId: 'shapes-1', cache, brief: { topic: `shape ${ids.length}` } })
    t.equal(r.statusCode, 200, r.body)
    ids.push(r.json().generationId)
    await h.settle()
  }
  t.same((await generationsOf('shapes-1')).sort(), [...ids].sort())
  const cached = await h.db.selectFrom('promptCache').select('cacheKey').where('userId', '=', 'shapes-1').execute()
  t.equal(cached.length, 2, 'the entries of the two cached requests')
})

t.test('the budget holds while spend is unwritten, and counts other replicas’ spend', async (t) => {
  await h.settle()
  const spentNow = async () => {
    const u = (await h.app.inject({ url: '/v1/usage', headers: asAdmin })).json()
    return u.promptTokens + u.completionTokens
  }
  // One request at a time: each sees the spend of the ones before, written or not.
  let refused: { statusCode: number; headers: Record<string, unknown>; json(): { code: string } } | undefined
  let largest = 0
  for (let i = 0; i < 200 && !refused; i++) {
    const r = await generate({ use: 'post', brief: { topic: `budget ${i}` } })
    if (r.statusCode === 429) refused = r
    else largest = Math.max(largest, r.json().usage.promptTokens + r.json().usage.completionTokens)
  }
  t.ok(refused, 'refused once the budget is used up')
  t.equal(refused?.json().code, 'rate_limited')
  t.ok(Number(refused?.headers['retry-after']) > 0)
  const spent = await spentNow()
  t.ok(spent <= BUDGET + largest, `spent ${spent}: over the budget by at most one request (${largest})`)

  // What is in the database (every replica's writes) reaches this replica by its periodic read:
  // here the spend is reset, then another replica spends the whole budget.
  await h.db.deleteFrom('tokenUsage').execute()
  const day = utcDay(new Date())
  // Polled slowly: the few calls made until the next read spend far less than the budget, so a
  // refusal can only come from the other replica's row.
  const slowly = { intervalMs: 250, timeoutMs: 10_000 }
  await waitFor(async () => (await generate({ use: 'post', brief: { topic: 'after reset' } })).statusCode === 200, { ...slowly, what: 'the reset read back' })
  await h.db.insertInto('tokenUsage').values({ apiKeyName: 'test-admin', day, shard: 99, requests: 1, promptTokens: BUDGET, completionTokens: 0 }).execute()
  const byOther = await waitFor(
    async () => {
      const r = await generate({ use: 'post', brief: { topic: 'other replica' } })
      return r.statusCode === 429 ? r.json() : undefined
    },
    { ...slowly, what: 'another replica’s spend counted' },
  )
  const counted = Number(/\((\d+) spent\)/.exec(byOther.detail)?.[1])
  t.ok(counted >= BUDGET && counted < 2 * BUDGET, `counted ${counted}: the other replica's ${BUDGET} plus this one's few calls`)
})
