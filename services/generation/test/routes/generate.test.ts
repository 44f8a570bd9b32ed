// POST /v1/generate through the real SDK against a local OpenAI-compatible server, on real Postgres
// and Kafka: style adapts to profiles mirrored from attune.profiles and attune.sentiment, banned
// words never reach an output, flagged content waits for a reviewer, provider failures are clean
// 502/503 problems that write nothing, and bad input names its field.
import { EventTypes } from '@attune/contracts'
import { asAdmin, asSite, waitFor } from '@attune/kit/testing'
import t from 'tap'
import { startFakeOpenAi } from '../support/fake-openai.ts'
import { counts, startHarness } from '../support/harness.ts'

const fake = await startFakeOpenAi()
const h = await startHarness({
  OPENAI_API_KEY: 'sk-test',
  OPENAI_BASE_URL: fake.url,
  OPENAI_MODELS: 'post=post-model',
  OPENAI_MAX_RETRIES: '1',
  OPENAI_TIMEOUT_MS: '300',
})
t.teardown(async () => {
  await h.close()
  await fake.close()
})
const retryFast = { 'retry-after-ms': '5' }
const generate = (payload: unknown, headers: Record<string, string> = asAdmin) =>
  h.app.inject({ method: 'POST', url: '/v1/generate', headers, payload: payload as object })
const lastSystemPrompt = () => fake.requests.filter((r) => r.path.endsWith('/chat/completions')).at(-1)?.body.messages?.[0]?.content ?? ''

t.test('style adapts to two different profiles', async (t) => {
  await h.setStyle('formal-fiona', { formality: 'formal', length: 'long', emoji: 'none', readingLevel: 'advanced' }, ['en-GB'])
  await h.setStyle('casual-carl', { formality: 'casual', length: 'short', emoji: 'lots', readingLevel: 'simple' }, ['en'])
  const brief = { topic: 'our new climate newsletter', keyPoints: ['every Friday'] }
  const fiona = await generate({ use: 'post', userId: 'formal-fiona', brief, n: 2 })
  t.equal(fiona.statusCode, 200, fiona.body)
  const fionaPrompt = lastSystemPrompt()
  const carl = await generate({ use: 'post', userId: 'casual-carl', brief, n: 2 })
  const carlPrompt = lastSystemPrompt()
  t.match(fionaPrompt, /formal register[\s\S]*four to six sentences[\s\S]*Do not use emoji[\s\S]*rich vocabulary/)
  t.match(carlPrompt, /casual, friendly[\s\S]*one or two sentences[\s\S]*several emoji[\s\S]*simple words/)
  t.match(fiona.json().variants[0].text, /^Dear reader/)
  t.match(carl.json().variants[0].text, /^Hey!.*🎉/)
  t.equal(fiona.json().variants.length, 2, 'n variants')
  t.not(fiona.json().variants[0].text, fiona.json().variants[1].text)
  t.match(fiona.json(), { provider: 'openai', model: 'post-model', review: null, why: { template: { id: 'post', version: 2 }, voice: null } })
  const source = (r: typeof fiona, name: string) => r.json().why.features.find((f: { name: string }) => f.name === name)
  t.same(source(fiona, 'formality'), { name: 'formality', value: 'formal', source: 'preferences' })
  t.same(source(carl, 'emoji'), { name: 'emoji', value: 'lots', source: 'preferences' })
  t.same(source(fiona, 'language'), { name: 'language', value: 'en', source: 'preferences' })
  t.ok(fiona.json().usage.promptTokens > 0, 'token usage recorded')

  // The current mood, from attune.sentiment, softens the tone.
  await h.publish('sentiment', EventTypes.sentimentScored.type, 'casual-carl', {
    textId: 'c-1',
    userId: 'casual-carl',
    label: 'negative',
    compound: -0.7,
    emotion: 'anger',
  })
  await waitFor(
    async () =>
      (await h.db.selectFrom('userSignals').select('sentimentCompound').where('userId', '=', 'casual-carl').executeTakeFirst())?.sentimentCompound === -0.7,
  )
  const upset = await generate({ use: 'notification', userId: 'casual-carl', brief, style: { emoji: 'none' } })
  t.match(lastSystemPrompt(), /seems upset lately[\s\S]*/)
  t.same(
    upset.json().why.features.filter((f: { source: string }) => f.source !== 'preferences'),
    [
      { name: 'emoji', value: 'none', source: 'request' },
      { name: 'mood', value: 'negative', source: 'sentiment' },
    ],
  )
  const stored = await h.app.inject({ url: `/v1/generations/${fiona.json().generationId}`, headers: asAdmin })
  t.same(stored.json(), fiona.json(), 'stored as returned')
})

t.test('brand voices: CRUD, and a banned word never reaches the output', async (t) => {
  const created = await h.app.inject({
    method: 'POST',
    url: '/v1/voices',
    headers: asAdmin,
    payload: { name: 'Planet', tone: 'warm and witty', vocabulary: ['scoop'], bannedWords: ['cheap', 'act now'], examples: ['Fresh from the newsroom.'] },
  })
  t.equal(created.statusCode, 201, created.body)
  const voice = created.json()
  t.match(voice, { version: 1, bannedWords: ['cheap', 'act now'] })
  t.equal((await h.app.inject({ method: 'POST', url: '/v1/voices', headers: asAdmin, payload: { name: 'Planet', tone: 'x' } })).statusCode, 409)
  const updated = await h.app.inject({
    method: 'PUT',
    url: `/v1/voices/${voice.voiceId}`,
    headers: asAdmin,
    payload: { name: 'Planet', tone: 'x', version: 7 },
  })
  t.equal(updated.json().errors[0].field, '/version', 'read-only fields are refused by name')
  const put = await h.app.inject({
    method: 'PUT',
    url: `/v1/voices/${voice.voiceId}`,
    headers: asAdmin,
    payload: { name: 'Planet', tone: 'warm, witty', vocabulary: ['scoop'], bannedWords: ['cheap', 'act now'], examples: [] },
  })
  t.match(put.json(), { version: 2, tone: 'warm, witty' })
  t.equal((await h.app.inject({ url: '/v1/voices', headers: asAdmin })).json().voices.length, 1)

  // First answer uses a banned word; the retry still does: it is redacted.
  fake.script({ answer: ['Cheap flights! Act now.', 'A calm variant.'] }, { answer: 'Still CHEAP, sorry.' })
  const r = await generate({ use: 'ad_copy', voiceId: voice.voiceId, brief: { topic: 'flights to Rome' }, n: 2 })
  t.equal(r.statusCode, 200, r.body)
  const [first, second] = r.json().variants
  t.notMatch(first.text, /cheap|act now/i)
  t.match(first, { text: 'Still █████, sorry.', regenerated: true, bannedRedacted: ['cheap'] })
  t.match(second, { text: 'A calm variant.', regenerated: false, bannedRedacted: [] })
  t.match(lastSystemPrompt(), /Never use these words: cheap, act now/)
  t.match(r.json().why.voice, { voiceId: voice.voiceId, name: 'Planet', version: 2 })

  // A retry that comes back clean is used as is.
  fake.script({ answer: 'So cheap!' }, { answer: 'Great value fares.' })
  const clean = await generate({ use: 'ad_copy', voiceId: voice.voiceId, brief: { topic: 'fares' }, cache: false })
  t.match(clean.json().variants[0], { text: 'Great value fares.', regenerated: true, bannedRedacted: [] })
  t.equal((await h.app.inject({ method: 'DELETE', url: `/v1/voices/${voice.voiceId}`, headers: asAdmin })).statusCode, 204)
  t.equal((await h.app.inject({ url: `/v1/voices/${voice.voiceId}`, headers: asAdmin })).statusCode, 404)
})

t.test('flagged content and content to publish wait in the review queue', async (t) => {
  fake.script({ answer: "I'll hurt you if you miss this sale." })
  const flagged = await generate({ use: 'post', brief: { topic: 'our sale' } })
  t.equal(flagged.statusCode, 200, flagged.body)
  t.match(flagged.json(), { review: { status: 'pending', reasons: ['flagged'] }, variants: [{ moderation: { flagged: true, categories: ['violence'] } }] })
  const toPublish = await generate({ use: 'caption', brief: { topic: 'a sunny beach' }, publish: true })
  t.match(toPublish.json().review, { status: 'pending', reasons: ['publish'] })

  const queue = await h.app.inject({ url: '/v1/reviews?status=pending&limit=1', headers: asAdmin })
  t.equal(queue.json().reviews.length, 1)
  t.equal(queue.json().reviews[0].reviewId, flagged.json().review.reviewId, 'oldest first')
  const next = await h.app.inject({ url: `/v1/reviews?status=pending&limit=1&cursor=${queue.json().nextCursor}`, headers: asAdmin })
  t.equal(next.json().reviews[0].reviewId, toPublish.json().review.reviewId)

  const reviewId = flagged.json().review.reviewId
  const decide = (payload: object) => h.app.inject({ method: 'POST', url: `/v1/reviews/${reviewId}/decision`, headers: asAdmin, payload })
  t.equal((await decide({ action: 'edit', reviewer: 'ed' })).statusCode, 400, 'edit needs text')
  t.equal((await decide({ action: 'approve', reviewer: 'ed', variantIndex: 3 })).statusCode, 400)
  const edited = await decide({ action: 'edit', reviewer: 'editor-7', text: 'Prices drop this weekend.', note: 'toned down' })
  t.equal(edited.statusCode, 200, edited.body)
  t.match(edited.json(), { status: 'edited', finalText: 'Prices drop this weekend.', reviewer: 'editor-7', generation: { review: { status: 'edited' } } })
  t.match(edited.json().audit, [
    { action: 'created', actor: 'key:test-admin', note: 'flagged' },
    { action: 'edited', actor: 'editor-7', note: 'toned down', text: 'Prices drop this weekend.' },
  ])
  t.equal((await decide({ action: 'reject', reviewer: 'ed' })).statusCode, 409, 'decided once')
  const approved = await h.app.inject({
    method: 'POST',
    url: `/v1/reviews/${toPublish.json().review.reviewId}/decision`,
    headers: asAdmin,
    payload: { action: 'approve', reviewer: 'ed' },
  })
  t.match(approved.json(), { status: 'approved', variantIndex: 0, finalText: toPublish.json().variants[0].text })

  // Thresholds per use: with the bar raised, the same text is not flagged.
  const policy = await h.app.inject({
    method: 'PUT',
    url: '/v1/policies/post',
    headers: asAdmin,
    payload: { flagThreshold: 0.95, blockThreshold: 0.99, reviewPublished: false },
  })
  t.match(policy.json(), { use: 'post', flagThreshold: 0.95 })
  fake.script({ answer: "I'll hurt you if you miss this sale." })
  const relaxed = await generate({ use: 'post', brief: { topic: 'our sale' }, publish: true, cache: false })
  t.equal(relaxed.json().review, null)
  t.equal(
    (
      await h.app.inject({
        method: 'PUT',
        url: '/v1/policies/post',
        headers: asAdmin,
        payload: { flagThreshold: 0.9, blockThreshold: 0.2, reviewPublished: true },
      })
    ).json().errors[0].field,
    '/blockThreshold',
  )
  await h.app.inject({ method: 'PUT', url: '/v1/policies/post', headers: asAdmin, payload: { flagThreshold: 0.5, blockThreshold: 0.8, reviewPublished: true } })
})

t.test('personal data is redacted before it leaves; identical prompts are cached', async (t) => {
  const before = fake.requests.length
  const brief = { topic: 'a reply for jane.doe@example.com about her card 4111 1111 1111 1111', keyPoints: ['call +44 20 7946 0958'] }
  const r = await generate({ use: 'post', brief, cache: true })
  t.equal(r.statusCode, 200, r.body)
  const sent = JSON.stringify(fake.requests.at(-1)?.body.messages)
  t.notMatch(sent, /jane\.doe|4111|7946/)
  t.match(sent, /\[EMAIL\].*\[CARD\].*\[PHONE\]/)
  t.same(r.json().why.redactions, { email: 1, card: 1, phone: 1 })
  const again = await generate({ use: 'post', brief, cache: true })
  t.match(again.json(), { cached: true, usage: { promptTokens: 0, completionTokens: 0 } })
  t.equal(again.json().variants[0].text, r.json().variants[0].text)
  t.equal(fake.requests.length - before, 1, 'the second call never reached the provider')
  const usage = await h.app.inject({ url: '/v1/usage', headers: asAdmin })
  t.match(usage.json(), { apiKey: 'test-admin', budget: 2000000 })
  t.ok(usage.json().requests >= 5 && usage.json().promptTokens > 0)
})

t.test('provider failures: a clear 502/503 problem, nothing written', async (t) => {
  const before = await counts(h)
  fake.script({ status: 500, headers: retryFast }, { status: 500, headers: retryFast })
  const broken = await generate({ use: 'post', brief: { topic: 'x' }, cache: false })
  t.equal(broken.statusCode, 502)
  t.match(broken.headers['content-type'], /application\/problem\+json/)
  t.match(broken.json(), { status: 502, code: 'bad_gateway', title: 'Bad gateway', detail: /HTTP 500/, instance: /.+/ })

  fake.script({ status: 429, headers: { ...retryFast, 'retry-after': '30' } }, { status: 429, headers: { ...retryFast, 'retry-after': '30' } })
  const limited = await generate({ use: 'post', brief: { topic: 'x' }, cache: false })
  t.equal(limited.statusCode, 503)
  t.equal(limited.headers['retry-after'], '30')
  t.match(limited.json(), { code: 'unavailable', detail: /rate limiting/ })

  fake.script({ delayMs: 600 }, { delayMs: 600 })
  const slow = await generate({ use: 'post', brief: { topic: 'x' }, cache: false })
  t.match(slow.json(), { status: 503, detail: /did not answer in time/ })

  // The retry after a banned word fails: the first answer is not stored either.
  const voice = (
    await h.app.inject({ method: 'POST', url: '/v1/voices', headers: asAdmin, payload: { name: 'Strict', tone: 'plain', bannedWords: ['cheap'] } })
  ).json()
  fake.script({ answer: 'cheap stuff' }, { status: 500, headers: retryFast }, { status: 500, headers: retryFast })
  const half = await generate({ use: 'post', voiceId: voice.voiceId, brief: { topic: 'x' }, cache: false })
  t.equal(half.statusCode, 502)
  t.same(await counts(h), before, 'no generation, review, usage or cache row')
})

t.test('bad input is a 4xx problem naming the field', async (t) => {
  const cases: [unknown, number, string][] = [
    [{ use: 'tweet', brief: { topic: 'x' } }, 400, '/use'],
    [{ use: 'post' }, 400, '/brief'],
    [{ use: 'post', brief: { topic: '  ' } }, 400, '/brief/topic'],
    [{ use: 'post', brief: { topic: 'x' }, n: 6 }, 400, '/n'],
    [{ use: 'post', brief: { topic: 'x' }, userId: 'has space' }, 400, '/userId'],
    // Postgres cannot store a lone surrogate: refused here, not failing the batch it would be written in.
    [{ use: 'post', brief: { topic: 'x' }, userId: 'half-\ud800' }, 400, '/userId'],
    [{ use: 'post', brief: { topic: 'x' }, style: { emoji: 'tons' } }, 400, '/style/emoji'],
    [{ use: 'post', brief: { topic: 'x', extra: 1 } }, 400, '/brief/extra'],
    [{ use: 'reply', brief: { topic: 'x' } }, 400, '/brief/replyTo'],
    [{ use: 'post', brief: { topic: 'x' }, voiceId: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c42' }, 400, '/voiceId'],
    [{ use: 'post', brief: { topic: 'x', keyPoints: ['fine', "I'm going to kill you"] } }, 422, '/brief/keyPoints/1'],
  ]
  const before = fake.requests.length
  for (const [payload, status, field] of cases) {
    const r = await generate(payload)
    t.equal(r.statusCode, status, JSON.stringify(payload))
    t.match(r.headers['content-type'], /application\/problem\+json/)
    t.ok(
      r.json().errors?.some((e: { field: string }) => e.field === field),
      `names ${field}: ${r.body}`,
    )
  }
  t.equal(fake.requests.length, before, 'nothing reached the provider')
  t.equal((await generate({ use: 'post', brief: { topic: 'x' } }, asSite)).statusCode, 403)
  t.equal((await generate({ use: 'post', brief: { topic: 'x' } }, {})).statusCode, 401)
  t.equal((await h.app.inject({ url: '/v1/reviews/not-a-uuid', headers: asAdmin })).json().errors[0].field, '/reviewId')
  t.equal((await h.app.inject({ url: '/v1/reviews?cursor=zzz', headers: asAdmin })).statusCode, 400)
  // Cursors this API never returns, which reached the query before (a 500): a year past 9999, an id that is no uuid.
  for (const forged of ['+010000-01-01T00:00:00.000Z|' + '0'.repeat(8) + '-0000-7000-8000-' + '0'.repeat(12), '2026-11-25T00:00:00.000Z|x'])
    t.equal((await h.app.inject({ url: `/v1/reviews?cursor=${Buffer.from(forged).toString('base64url')}`, headers: asAdmin })).statusCode, 400, forged)
  t.equal((await h.app.inject({ url: '/v1/generations/0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c42', headers: asAdmin })).statusCode, 404)
})
