// Interactive stories with the offline provider on real Postgres and Kafka: turns by text or
// option, branches that keep their own memory, preferences that set tone and limits, moderation
// on every turn, per-key token budgets, and erasure of everything about a user.
import { randomUUID } from 'node:crypto'
import { EventTypes } from '@attune/contracts'
import { asAdmin, asSite, waitFor } from '@attune/kit/testing'
import t from 'tap'
import { generation } from '../../src/app.ts'
import { counts, startHarness } from '../support/harness.ts'

const h = await startHarness({ GENERATION_TOKEN_BUDGETS: 'test-site:3000', STORY_MEMORY_BUDGET_CHARS: '600' })
t.teardown(() => h.close())

const startStory = (payload: object, headers = asAdmin) => h.app.inject({ method: 'POST', url: '/v1/stories', headers, payload })
const turn = (storyId: string, payload: object, headers = asAdmin) => h.app.inject({ method: 'POST', url: `/v1/stories/${storyId}/turns`, headers, payload })
const story = {
  userId: 'teller-1',
  title: 'The Lantern Road',
  genre: 'fantasy',
  rating: 'all_ages',
  facts: ['Magic is fading from the kingdom'],
  characters: [{ name: 'Mira', description: 'a cartographer with a secret map' }],
}

t.test('a story branch keeps its own memory', async (t) => {
  await h.setStyle('teller-1', { formality: 'casual', length: 'medium', emoji: 'none', readingLevel: 'standard' }, ['en'], ['war'])
  const created = await startStory(story)
  t.equal(created.statusCode, 201, created.body)
  const s = created.json()
  t.match(
    s,
    { tone: 'light', avoidTopics: ['war'], turns: [{ depth: 0, inputKind: 'start', provider: 'offline', parentTurnId: null }] },
    'tone and limits from preferences',
  )
  const opening = s.turns[0]
  t.match(opening.narration, /^\[offline\] The story begins\./)
  t.equal(opening.options.length, 3)

  const castle = await turn(s.storyId, { text: 'I walk to the castle gate' })
  t.equal(castle.statusCode, 201, castle.body)
  t.match(castle.json(), { depth: 1, parentTurnId: opening.turnId, inputKind: 'text' })
  const deeper = await turn(s.storyId, { option: 0 })
  t.match(deeper.json(), { depth: 2, parentTurnId: castle.json().turnId, inputKind: 'option', input: castle.json().options[0] })

  // Fork from the opening: the forest branch knows nothing of the castle.
  const forest = await turn(s.storyId, { parentTurnId: opening.turnId, text: 'I slip into the dark forest' })
  t.match(forest.json(), { depth: 1, parentTurnId: opening.turnId })
  const forestMemory = forest.json().memory.join('\n')
  t.match(forestMemory, /forest/)
  t.notMatch(forestMemory, /castle/)
  const deeperMemory = deeper.json().memory.join('\n')
  t.match(deeperMemory, /castle/)
  t.notMatch(deeperMemory, /forest/)
  const onForest = await turn(s.storyId, { parentTurnId: forest.json().turnId, text: 'I light a lantern' })
  t.notMatch(onForest.json().memory.join('\n'), /castle/, 'the branch goes on with its own memory')

  const path = (await h.app.inject({ url: `/v1/stories/${s.storyId}/turns/${onForest.json().turnId}`, headers: asAdmin })).json()
  t.same(
    path.path.map((p: { turnId: string }) => p.turnId),
    [opening.turnId, forest.json().turnId, onForest.json().turnId],
  )
  const whole = (await h.app.inject({ url: `/v1/stories/${s.storyId}`, headers: asAdmin })).json()
  t.equal(whole.turns.length, 5, 'every branch is kept')

  // The running memory stays within its budget however long the branch.
  let last = onForest.json()
  for (let i = 0; i < 12; i++)
    last = (await turn(s.storyId, { parentTurnId: last.turnId, text: `I search the ruins for clue number ${i} under the old bridge` })).json()
  const size = last.memory.reduce((n: number, l: string) => n + l.length + 1, 0)
  t.ok(size <= 600, `memory ${size} chars within 600`)
  t.match(last.memory[0], /^Earlier: /)
})

t.test('moderation on every turn; bad input names its field', async (t) => {
  const s = (await startStory({ ...story, userId: 'teller-2' })).json()
  const before = await counts(h)
  const violent = await turn(s.storyId, { text: 'I stab the guard and torture the prisoner' })
  t.equal(violent.statusCode, 422, 'an all-ages story refuses violence')
  t.equal(violent.json().errors[0].field, '/text')
  t.same(await counts(h), before, 'nothing stored')
  const mature = (await startStory({ ...story, userId: 'teller-2', rating: 'mature' })).json()
  t.equal((await turn(mature.storyId, { text: 'I stab the guard' })).statusCode, 201, 'a mature story allows more')

  for (const [payload, field] of [
    [{}, '/text'],
    [{ option: 5 }, '/option'],
    [{ option: 0, text: 'both' }, '/option'],
    [{ text: 'x', parentTurnId: randomUUID() }, '/parentTurnId'],
    [{ text: 'x', extra: 1 }, '/extra'],
  ] as const) {
    const r = await turn(s.storyId, payload)
    t.equal(r.statusCode, 400, JSON.stringify(payload))
    t.equal(r.json().errors[0].field, field)
  }
  t.equal((await startStory({ ...story, genre: 'romance' })).json().errors[0].field, '/genre')
  t.equal((await startStory({ ...story, characters: [{ name: 'A' }] })).json().errors[0].field, '/characters/0/description')
  t.equal((await turn(randomUUID(), { text: 'x' })).statusCode, 404)
})

t.test('a key over its daily token budget gets 429 until midnight UTC', async (t) => {
  let r = await startStory({ ...story, userId: 'teller-3' }, asSite)
  t.equal(r.statusCode, 201)
  const storyId = r.json().storyId
  for (let i = 0; i < 50 && r.statusCode !== 429; i++) r = await turn(storyId, { text: `I walk on, step ${i}` }, asSite)
  t.equal(r.statusCode, 429)
  t.match(r.json(), { code: 'rate_limited', detail: /daily token budget of 3000 tokens/ })
  t.ok(Number(r.headers['retry-after']) > 0)
  const usage = (await h.app.inject({ url: '/v1/usage', headers: asSite })).json()
  t.match(usage, { apiKey: 'test-site', budget: 3000 })
  t.ok(usage.promptTokens + usage.completionTokens <= 3000 + 600, 'stops near the budget')
  t.equal((await turn(storyId, { text: 'one more' })).statusCode, 201, 'other keys are unaffected')
})

t.test('erasure removes everything about the user and confirms', async (t) => {
  await h.setStyle('gone-user', { formality: 'formal', length: 'short', emoji: 'none', readingLevel: 'standard' })
  await startStory({ ...story, userId: 'gone-user' })
  await h.app.inject({ method: 'POST', url: '/v1/generate', headers: asAdmin, payload: { use: 'post', userId: 'gone-user', brief: { topic: 'hello' } } })
  await h.app.inject({ method: 'POST', url: '/v1/conversations', headers: asAdmin, payload: { userId: 'gone-user' } })
  const rows = async () => ({
    signals: (await h.db.selectFrom('userSignals').select('userId').where('userId', '=', 'gone-user').execute()).length,
    stories: (await h.db.selectFrom('stories').select('storyId').where('userId', '=', 'gone-user').execute()).length,
    generations: (await h.db.selectFrom('generations').select('generationId').where('userId', '=', 'gone-user').execute()).length,
    cache: (await h.db.selectFrom('promptCache').select('cacheKey').where('userId', '=', 'gone-user').execute()).length,
    conversations: (await h.db.selectFrom('conversations').select('conversationId').where('userId', '=', 'gone-user').execute()).length,
  })
  await h.settle()
  t.same(await rows(), { signals: 1, stories: 1, generations: 1, cache: 1, conversations: 1 })
  const exported = (await generation.privacy?.export?.(h.db, 'gone-user')) as Record<string, unknown[] | unknown>
  t.match(exported, {
    userId: 'gone-user',
    signals: { style: { formality: 'formal' } },
    stories: [{ title: 'The Lantern Road', turns: [{ parentTurnId: null }] }],
    conversations: [{ messages: [] }],
  })
  t.equal((exported.generations as unknown[]).length, 1)
  const requestId = randomUUID()
  await h.publish('privacy', EventTypes.erasureRequested.type, 'gone-user', { requestId, userId: 'gone-user' })
  const done = await waitFor(() => h.seen.find((e) => e.type === 'privacy.erasure-completed' && (e.data as { requestId: string }).requestId === requestId), {
    what: 'erasure confirmation',
  })
  t.match(done.data, { service: 'generation', userId: 'gone-user' })
  t.same(await rows(), { signals: 0, stories: 0, generations: 0, cache: 0, conversations: 0 })
  const turns = await h.db
    .selectFrom('storyTurns')
    .innerJoin('stories', 'stories.storyId', 'storyTurns.storyId')
    .select('turnId')
    .where('stories.userId', '=', 'gone-user')
    .execute()
  t.equal(turns.length, 0)
})
