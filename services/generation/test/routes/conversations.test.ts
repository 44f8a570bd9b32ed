// The news chatbot through the real SDK against a local OpenAI-compatible server, the documented
// recommendation Slate served over HTTP, real Postgres and Kafka: answers cite the user's
// recommendations and say why, the conversation is remembered, answers stream as SSE, reactions
// become attributed interaction events, and failures store nothing.
import { asAdmin, asSite, waitFor } from '@attune/kit/testing'
import t from 'tap'
import { startFakeOpenAi } from '../support/fake-openai.ts'
import { startFakeRecommendation } from '../support/fake-recommendation.ts'
import { counts, startHarness } from '../support/harness.ts'

const fake = await startFakeOpenAi()
const recs = await startFakeRecommendation()
const h = await startHarness({
  OPENAI_API_KEY: 'sk-test',
  OPENAI_BASE_URL: fake.url,
  OPENAI_MAX_RETRIES: '0',
  RECOMMENDATION_URL: recs.url,
  RECOMMENDATION_API_KEY: 'atn_pk_reco',
  GENERATION_MODERATION: 'provider',
  GENERATION_RATE_LIMIT_PER_MINUTE: '20',
})
t.teardown(async () => {
  await h.close()
  await fake.close()
  await recs.close()
})
fake.answer = (req) => {
  const user = req.body.messages?.at(-1)?.content ?? ''
  const cited = [...user.matchAll(/^\[(\d)\] ([^(—\n]+)/gm)].map((m) => `[${m[1]}] ${m[2]?.trim()}`)
  return `You might like ${cited.join(' and ')}.`
}

async function start(userId = 'reader-1') {
  const r = await h.app.inject({ method: 'POST', url: '/v1/conversations', headers: asSite, payload: { userId } })
  t.equal(r.statusCode, 201, r.body)
  return r.json().conversationId as string
}
const say = (id: string, text: string, headers: Record<string, string> = asSite) =>
  h.app.inject({ method: 'POST', url: `/v1/conversations/${id}/messages`, headers, payload: { text } })

function parseSse(body: string): { event: string; data: unknown }[] {
  return body
    .split('\n\n')
    .filter(Boolean)
    .map((block) => {
      const event = /^event: (.+)$/m.exec(block)?.[1] ?? ''
      const data = JSON.parse(/^data: (.+)$/m.exec(block)?.[1] ?? 'null')
      return { event, data }
    })
}

t.test('answers cite the user’s recommendations, explain why, and remember the conversation', async (t) => {
  const id = await start()
  const r = await say(id, 'Anything new on climate?')
  t.equal(r.statusCode, 200, r.body)
  const answer = r.json()
  t.equal(answer.message.citations.length, 3)
  const [first] = answer.message.citations
  t.match(first, {
    index: 1,
    itemId: 'a-climate',
    recommendationId: /-000000000001$/,
    why: /matches what you asked about \(climate\); because you read “Heatwave records”/,
  })
  t.match(answer.message.text, /\[1\] Climate summit ends with a new deal/)
  t.match(answer, { withheld: false, message: { role: 'assistant', provider: 'openai', seq: 2 } })
  t.match(recs.calls.at(-1), { url: '/v1/users/reader-1/recommendations?count=10&include=item', authorization: 'Bearer atn_pk_reco' })

  const second = await say(id, 'And sport?')
  t.equal(second.json().message.citations[0].itemId, 'a-football')
  const sent = fake.requests.filter((r) => r.path.endsWith('/chat/completions')).at(-1)?.body.messages ?? []
  t.match(
    sent.map((m) => m.role),
    ['system', 'user', 'assistant', 'user'],
    'the earlier turn goes with the prompt',
  )
  t.equal(sent[1]?.content, 'Anything new on climate?')
  const stored = (await h.app.inject({ url: `/v1/conversations/${id}`, headers: asSite })).json()
  t.same(
    stored.messages.map((m: { seq: number; role: string }) => `${m.seq}:${m.role}`),
    ['1:user', '2:assistant', '3:user', '4:assistant'],
  )
})

t.test('streams the answer as SSE: citations, deltas, done; then stored', async (t) => {
  const id = await start('reader-2')
  const r = await say(id, 'science please', { ...asSite, accept: 'text/event-stream' })
  t.equal(r.statusCode, 200)
  t.match(r.headers['content-type'], /text\/event-stream/)
  const events = parseSse(r.body)
  t.equal(events[0]?.event, 'citations')
  t.match(events[0]?.data, [{ itemId: 'a-science' }])
  const deltas = events.filter((e) => e.event === 'delta')
  t.ok(deltas.length > 3, 'several chunks')
  const text = deltas.map((e) => (e.data as { text: string }).text).join('')
  t.match(text, /^You might like \[1\] Telescope spots water on exoplanet/)
  t.match(events.at(-1), { event: 'done', data: { seq: 2, withheld: false, usage: { completionTokens: deltas.length } } })
  const stored = (await h.app.inject({ url: `/v1/conversations/${id}`, headers: asSite })).json()
  t.equal(stored.messages[1].text, text)
})

t.test('a reaction becomes an interaction event attributed to its slate', async (t) => {
  const id = await start('reader-3')
  const answer = (await say(id, 'climate')).json()
  const cited = answer.message.citations[0]
  const r = await h.app.inject({
    method: 'POST',
    url: `/v1/conversations/${id}/reactions`,
    headers: asSite,
    payload: { itemId: cited.itemId, reaction: 'click' },
  })
  t.equal(r.statusCode, 202, r.body)
  const event = await waitFor(() => h.seen.find((e) => e.type === 'interaction.recorded' && e.subject === 'reader-3'), { what: 'interaction event' })
  t.match(event, {
    source: 'generation',
    data: {
      interaction: {
        type: 'click',
        userId: 'reader-3',
        itemId: cited.itemId,
        recommendationId: cited.recommendationId,
        id: r.json().interactionId,
        context: { channel: 'chatbot' },
      },
    },
  })
  const bad = await h.app.inject({
    method: 'POST',
    url: `/v1/conversations/${id}/reactions`,
    headers: asSite,
    payload: { itemId: 'never-cited', reaction: 'like' },
  })
  t.equal(bad.json().errors[0].field, '/itemId')
  const wrong = await h.app.inject({
    method: 'POST',
    url: `/v1/conversations/${id}/reactions`,
    headers: asSite,
    payload: { itemId: cited.itemId, reaction: 'love' },
  })
  t.equal(wrong.json().errors[0].field, '/reaction')
})

t.test('failures: 502/503 problems and nothing stored', async (t) => {
  const id = await start('reader-4')
  const before = await counts(h)
  // With provider moderation the input is judged first: let that pass, then fail the chat call.
  const pass = { delayMs: 0 }
  fake.script(pass, { status: 500 })
  const broken = await say(id, 'climate')
  t.match(broken.json(), { status: 502, code: 'bad_gateway' })
  t.match(fake.requests.at(-1), { path: '/v1/chat/completions' }, 'the chat call failed, after moderation passed')
  fake.script({ status: 500 })
  t.match((await say(id, 'climate')).json(), { status: 502, detail: /HTTP 500/ }, 'a failing moderation endpoint is a 502 too')
  recs.failNext(503)
  const noRecs = await say(id, 'climate')
  t.match(noRecs.json(), { status: 503, code: 'unavailable', detail: /recommendation service/ })
  fake.script(pass, { status: 503 })
  const streamRefused = await say(id, 'climate', { ...asSite, accept: 'text/event-stream' })
  t.equal(streamRefused.statusCode, 503, 'a stream that fails before its first chunk is a plain problem')
  t.match(streamRefused.headers['content-type'], /problem\+json/)
  fake.script(pass, { breakAfterChunks: 3 })
  const cut = await say(id, 'climate', { ...asSite, accept: 'text/event-stream' })
  const events = parseSse(cut.body)
  t.match(events.at(-1), { event: 'error', data: { status: 502, detail: /nothing was stored/ } })
  t.same(await counts(h), before, 'no message, usage or cache row')
  t.equal((await h.app.inject({ url: `/v1/conversations/${id}`, headers: asSite })).json().messages.length, 0)
})

t.test('bad input names the field', async (t) => {
  const id = await start('reader-5')
  t.equal((await say(id, '')).json().errors[0].field, '/text')
  const threat = await say(id, "I'm going to kill you")
  t.equal(threat.statusCode, 422)
  t.equal(threat.json().errors[0].field, '/text')
  t.match(fake.requests.at(-1), { path: '/v1/moderations', body: { input: ["I'm going to kill you"] } }, 'the provider’s moderation endpoint judged it')
  t.equal((await h.app.inject({ method: 'POST', url: '/v1/conversations', headers: asSite, payload: {} })).json().errors[0].field, '/userId')
  t.equal((await say('0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c42', 'hi')).statusCode, 404)
  t.equal((await say('nope', 'hi')).json().errors[0].field, '/conversationId')
  t.equal(
    (
      await h.app.inject({
        method: 'POST',
        url: '/v1/conversations',
        headers: asAdmin,
        payload: { userId: 'u', voiceId: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c42' },
      })
    ).json().errors[0].field,
    '/voiceId',
  )
})

t.test('generating routes are rate limited per API key', async (t) => {
  const id = await start('reader-6')
  let r = await say(id, 'climate')
  for (let i = 0; i < 25 && r.statusCode !== 429; i++) r = await say(id, 'climate')
  t.equal(r.statusCode, 429)
  t.match(r.json(), { code: 'rate_limited', detail: /Limit of 20 requests/ })
  t.ok(Number(r.headers['retry-after']) > 0)
  t.equal((await h.app.inject({ url: `/v1/conversations/${id}`, headers: asSite })).statusCode, 200, 'reading is not limited by it')
})
