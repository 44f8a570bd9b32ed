// The privacy non-negotiable as one check over the whole platform: all six services on one real
// Postgres and a Kafka protocol peer, one user active in each of them through their APIs and the
// events between them, then an erasure; once it completes, no column of any table in any
// service's schema may still hold the user's id, an anonymous id merged into it, or the text they
// wrote. The check reads the database's catalog, so a table added later is covered without this
// test knowing of it.
import { randomUUID } from 'node:crypto'
import { ads } from '@attune/ads'
import { EventTypes, Topics, topicName } from '@attune/contracts'
import { generation } from '@attune/generation'
import { type Database, KafkaBus, makeEvent, openDatabase, type ServiceApp } from '@attune/kit'
import { asAdmin, asSite, createTestDatabase, kafkaForTests, startTestService, TEST_SECRET_KEY, uniqueTopicPrefix, waitFor } from '@attune/kit/testing'
import { profiling } from '@attune/profiling'
import { recommendation } from '@attune/recommendation'
import { scheduling } from '@attune/scheduling'
import { sentiment } from '@attune/sentiment'
import { sql } from 'kysely'
import pino from 'pino'
import t from 'tap'

const SCHEMAS = ['profiling', 'recommendation', 'sentiment', 'generation', 'scheduling', 'ads'] as const

const pg = await createTestDatabase()
const kafka = await kafkaForTests()
const database: Database = await openDatabase(pg.url)
const prefix = uniqueTopicPrefix()
const log = pino({ level: 'silent' })
const bus = (clientId: string) => new KafkaBus({ brokers: kafka.brokers.split(','), clientId, log, fetchMaxWaitMs: 20 })
const env = { KAFKA_TOPIC_PREFIX: prefix, PRIVACY_SERVICES: SCHEMAS.join(',') }
const running: { close(): Promise<void> }[] = []
t.teardown(async () => {
  for (const s of running.reverse()) await s.close()
  await database.close()
  await pg.drop()
  await kafka.stop()
})
const start = async <S extends { close(): Promise<void> }>(s: Promise<S>): Promise<S> => {
  const started = await s
  running.push(started)
  return started
}
const reco = await start(startTestService(recommendation, { database, bus: bus('recommendation'), env }))
// The news chatbot asks recommendation over HTTP, as it does in a cluster.
const recoUrl = await reco.app.listen({ host: '127.0.0.1', port: 0 })
const senti = await start(startTestService(sentiment, { database, bus: bus('sentiment'), env }))
const gen = await start(
  startTestService(generation, { database, bus: bus('generation'), env: { ...env, RECOMMENDATION_URL: recoUrl, RECOMMENDATION_API_KEY: TEST_SECRET_KEY } }),
)
const sched = await start(startTestService(scheduling, { database, bus: bus('scheduling'), env }))
const ad = await start(startTestService(ads, { database, bus: bus('ads'), env: { ...env, ADS_MIN_CLICK_MS: '0', ADS_REFRESH_MS: '200' } }))
// Profiling gathers a user's export from the five others over HTTP.
const sources = [`recommendation=${recoUrl}`]
for (const [name, s] of [
  ['sentiment', senti],
  ['generation', gen],
  ['scheduling', sched],
  ['ads', ad],
] as const)
  sources.push(`${name}=${await s.app.listen({ host: '127.0.0.1', port: 0 })}`)
const prof = await start(
  startTestService(profiling, {
    database,
    bus: bus('profiling'),
    env: { ...env, PRIVACY_EXPORT_SOURCES: sources.join(','), PRIVACY_EXPORT_API_KEY: TEST_SECRET_KEY },
  }),
)

/** A request that must succeed; its JSON answer. */
async function call(service: { app: ServiceApp }, method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: object, headers = asAdmin) {
  const r = await service.app.inject({ method, url, headers, ...(payload ? { payload } : {}) })
  if (r.statusCode >= 300) throw new Error(`${method} ${url}: ${r.statusCode} ${r.body}`)
  return r.body ? (r.json() as Record<string, unknown>) : {}
}

/** Every column of every table in the services' schemas whose text holds `needle`, with its row count. */
async function placesHolding(needle: string): Promise<Record<string, number>> {
  const columns = await sql<{ schema: string; tbl: string; col: string }>`
    select c.table_schema as schema, c.table_name as tbl, c.column_name as col
    from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
    where c.table_schema in (${sql.join([...SCHEMAS])})
      and (c.data_type in ('text', 'character varying', 'json', 'jsonb', 'ARRAY', 'USER-DEFINED') or c.udt_name = 'bytea')
    order by 1, 2, 3`.execute(database.root)
  const found: Record<string, number> = {}
  for (const { schema, tbl, col } of columns.rows) {
    const text = sql`${sql.ref(col)}::text`
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(`${schema}.${tbl}`)} where strpos(${text}, ${needle}) > 0`.execute(
      database.root,
    )
    const n = rows[0]?.n ?? 0
    if (n > 0) found[`${schema}.${tbl}.${col}`] = n
  }
  return found
}

t.test('after an erasure completes, no table of any service holds the user id or their text', async (t) => {
  const user = `erase-me-${randomUUID().slice(0, 8)}`
  const anonymous = `anon-${randomUUID().slice(0, 8)}`
  // A second visit, merged through profiling's API rather than by an event carrying both ids.
  const otherDevice = `anon-${randomUUID().slice(0, 8)}`
  const comment = `Quite the ${randomUUID().slice(0, 8)} article, I loved it`
  const time = new Date().toISOString()

  // Profiling: history (an anonymous visit merged into the user), a comment, attributes,
  // preferences and consents. The events fan out to every other service.
  await call(prof, 'POST', `/v1/users/${user}/consents`, {
    consents: [
      { purpose: 'personalization', status: 'granted', source: 'test' },
      { purpose: 'ad_personalization', status: 'granted', source: 'test' },
    ],
  })
  await call(prof, 'PATCH', `/v1/users/${user}/preferences`, {
    followedTopics: ['climate'],
    languages: ['en'],
    quietHours: { start: '22:00', end: '07:00', timeZone: 'Europe/Paris' },
  })
  await call(prof, 'PATCH', `/v1/profiles/${user}`, { attributes: { plan: 'premium', city: 'Lyon' } })
  const events = [
    { id: randomUUID(), type: 'view', anonymousId: anonymous, itemId: 'article-1', time },
    { id: randomUUID(), type: 'view', userId: user, anonymousId: anonymous, itemId: 'article-2', time },
    { id: randomUUID(), type: 'like', userId: user, itemId: 'article-2', time },
    { id: randomUUID(), type: 'click', userId: user, itemId: 'article-3', time },
    { id: randomUUID(), type: 'comment', userId: user, itemId: 'article-2', text: comment, time },
    { id: randomUUID(), type: 'like', anonymousId: otherDevice, itemId: 'article-4', time },
  ]
  await call(prof, 'POST', '/v1/events', { events }, asSite)
  await waitFor(async () => (await placesHolding(otherDevice))['recommendation.user_item_interactions.user_id'], {
    timeoutMs: 60_000,
    what: 'recommendation to learn from the other device',
  })
  await call(prof, 'POST', '/v1/identities/merge', { anonymousId: otherDevice, userId: user })
  await waitFor(async () => !(await placesHolding(otherDevice))['recommendation.user_item_interactions.user_id'], {
    timeoutMs: 60_000,
    what: 'recommendation to apply the merge',
  })

  // What the other services learned from those events, before the user is erased.
  const holds = async (schema: string) => Object.keys(await placesHolding(user)).some((k) => k.startsWith(`${schema}.`))
  for (const schema of ['recommendation', 'sentiment', 'scheduling', 'ads'])
    await waitFor(() => holds(schema), { timeoutMs: 60_000, what: `${schema} to hold something about the user` })

  // Recommendation: a personalized slate (served slates are logged for feedback).
  await call(reco, 'GET', `/v1/users/${user}/recommendations`)
  // Generation: an output for the user, a chat turn, a story with a turn.
  await call(gen, 'POST', '/v1/generate', { use: 'post', userId: user, brief: { topic: 'the weekend weather' } })
  const conversation = await call(gen, 'POST', '/v1/conversations', { userId: user })
  await call(gen, 'POST', `/v1/conversations/${conversation.conversationId}/messages`, { text: 'Anything new on climate?' })
  const story = await call(gen, 'POST', '/v1/stories', {
    userId: user,
    title: 'The lighthouse',
    genre: 'mystery',
    rating: 'all_ages',
    facts: ['The lamp went dark at midnight.'],
    characters: [{ name: 'Ada', description: 'the keeper' }],
  })
  await call(gen, 'POST', `/v1/stories/${story.storyId}/turns`, { text: 'I climb the stairs.' })
  // Scheduling: a campaign delivered to the user.
  await call(sched, 'POST', '/v1/campaigns', {
    name: 'Morning briefing',
    channel: 'push',
    content: { title: 'Your briefing', itemId: 'article-1' },
    audience: { userIds: [user] },
    // Nothing listens there: the sends are planned for later within the window anyway.
    webhookUrl: 'http://127.0.0.1:9/deliveries',
    strategy: 'best_time',
    window: { end: new Date(Date.now() + 2 * 86_400_000).toISOString() },
  })
  // Ads: a personalized decision for the user, its impression and click.
  const advertiser = await call(ad, 'POST', '/v1/advertisers', { name: 'Acme Outdoor' })
  const campaign = await call(ad, 'POST', '/v1/campaigns', {
    advertiserId: advertiser.advertiserId,
    name: 'Boots',
    startAt: new Date(Date.now() - 86_400_000).toISOString(),
    endAt: new Date(Date.now() + 86_400_000).toISOString(),
    totalBudget: 1000,
    dailyBudget: 100,
    pacing: 'asap',
    tier: 'standard',
    priceModel: 'cpc',
    price: 0.5,
    targeting: {},
  })
  await call(ad, 'POST', `/v1/campaigns/${campaign.campaignId}/ads`, {
    title: 'Boots for every trail',
    body: 'Waterproof and light.',
    clickUrl: 'https://shop.example.com/boots',
    format: 'banner-300x250',
    categories: ['IAB20'],
  })
  const placement = await call(ad, 'POST', '/v1/placements', { name: 'Sidebar', zone: 'sidebar', format: 'banner-300x250' })
  const decided = await waitFor(
    async () => {
      const d = await call(ad, 'POST', '/v1/decisions', {
        userKey: user,
        placements: [{ placementId: placement.placementId }],
        context: { url: 'https://news.example.com/a', text: 'Hiking boots for the winter trail', language: 'en' },
      })
      const first = (d.placements as { decision: { impressionUrl: string; clickUrl: string } | null }[])[0]?.decision
      return d.personalized === true && first ? first : undefined
    },
    { timeoutMs: 30_000, what: 'a personalized ad decision' },
  )
  for (const link of [decided.impressionUrl, decided.clickUrl]) {
    const r = await ad.app.inject({ method: 'GET', url: link })
    t.ok(r.statusCode < 400, `${link.split('?')[0]} answered ${r.statusCode}`)
  }

  const before = await placesHolding(user)
  for (const schema of SCHEMAS)
    t.ok(
      Object.keys(before).some((k) => k.startsWith(`${schema}.`)),
      `${schema} held something about the user`,
    )
  // The right of access: each service's export of the user, now and after the erasure.
  const services = { profiling: prof, recommendation: reco, sentiment: senti, generation: gen, scheduling: sched, ads: ad }
  const exported = async () => {
    const out: Record<string, string> = {}
    for (const [name, s] of Object.entries(services)) {
      const e = await call(s, 'GET', `/v1/privacy/users/${user}/data`)
      t.match(e, { service: name, userId: user }, `${name} answers the export`)
      out[name] = JSON.stringify(e.data)
    }
    return out
  }
  const exportedBefore = await exported()
  for (const name of SCHEMAS)
    t.ok(
      [user, anonymous, otherDevice, comment].some((x) => exportedBefore[name]?.includes(x)),
      `${name}'s export holds the user's data`,
    )
  // The same, in one document from profiling.
  const everywhere = async () => {
    const e = await call(prof, 'GET', `/v1/privacy/users/${user}/export`)
    t.same(Object.keys(e.services as object).sort(), [...SCHEMAS].sort(), 'one document holds every service’s part')
    return Object.fromEntries(Object.entries(e.services as object).map(([k, v]) => [k, JSON.stringify(v)]))
  }
  const wholeBefore = await everywhere()
  for (const name of SCHEMAS)
    t.ok(
      [user, anonymous, otherDevice, comment].some((x) => wholeBefore[name]?.includes(x)),
      `${name}'s part of the whole export holds the user's data`,
    )

  const started = await call(prof, 'POST', `/v1/privacy/erasure/${user}`)
  const done = await waitFor(
    async () => {
      const s = await call(prof, 'GET', `/v1/privacy/requests/${started.id}`)
      return s.status === 'completed' ? s : undefined
    },
    { timeoutMs: 90_000, what: 'every service to confirm the erasure' },
  )
  t.same((done.confirmations as { service: string }[]).map((c) => c.service).sort(), [...SCHEMAS].sort(), 'every service confirmed')
  // Write-behind logs flush on erasure; the outboxes publish within their poll.
  await waitFor(async () => Object.keys(await placesHolding(user)).length === 0, { timeoutMs: 10_000, what: 'nothing left' }).catch(() => undefined)
  t.same(await placesHolding(user), {}, 'no column anywhere holds the user id')
  t.same(await placesHolding(anonymous), {}, 'nor their anonymous id')
  t.same(await placesHolding(otherDevice), {}, 'nor the anonymous id merged through the API')
  t.same(await placesHolding(comment), {}, 'nor the text they wrote')
  const wholeAfter = await everywhere()
  t.notOk(
    SCHEMAS.some((name) => [anonymous, otherDevice, comment].some((x) => wholeAfter[name]?.includes(x))),
    'the whole export holds nothing of theirs after the erasure',
  )
  const exportedAfter = await exported()
  for (const name of SCHEMAS) {
    t.not(exportedAfter[name], exportedBefore[name], `${name}'s export held something the erasure took`)
    t.notOk(
      [anonymous, otherDevice, comment].some((x) => exportedAfter[name]?.includes(x)),
      `${name}'s export holds nothing of theirs now`,
    )
  }

  // Events about the user from before the erasure that were still in flight (another topic, a
  // late partition, a redelivery) reach the services now: each drops them, and nothing comes back.
  const lateComment = `Late ${randomUUID().slice(0, 8)} words`
  const late = (type: typeof EventTypes.interactionRecorded | typeof EventTypes.profileUpdated, subject: string, data: object) =>
    makeEvent({ ...type, source: 'profiling', subject, data }, new Date(time))
  const interaction = (subject: string, i: object) =>
    late(EventTypes.interactionRecorded, subject, { interaction: { id: randomUUID(), time, ...i }, receivedAt: time })
  const lateBus = bus('late')
  t.teardown(() => lateBus.close())
  await lateBus.publish(
    [
      [Topics.interactions, interaction(user, { type: 'comment', userId: user, itemId: 'article-5', text: lateComment })],
      [Topics.interactions, interaction(anonymous, { type: 'like', anonymousId: anonymous, itemId: 'article-6' })],
      [Topics.profiles, late(EventTypes.profileUpdated, user, { userId: user, changed: ['identity'], mergedAnonymousId: otherDevice })],
    ].map(([topic, e]) => {
      const event = e as ReturnType<typeof late>
      return { topic: topicName(prefix, topic as typeof Topics.interactions), key: event.subject, value: JSON.stringify(event) }
    }),
  )
  const dropped = async (s: { app: ServiceApp }, consumer: string) => {
    const body = (await s.app.inject({ method: 'GET', url: '/metrics' })).body
    const m = new RegExp(`consumer_events_total\\{[^}]*consumer="${consumer}"[^}]*outcome="erased"[^}]*\\} (\\d+)`).exec(body)
    return Number(m?.[1] ?? 0)
  }
  for (const [s, consumer, n] of [
    [reco, 'interactions', 2],
    [reco, 'identity-merges', 1],
    [sched, 'activity', 2],
    [senti, 'comments', 1],
    [prof, 'segments', 2],
  ] as const)
    await waitFor(async () => (await dropped(s, consumer)) >= n, { timeoutMs: 30_000, what: `${consumer} to drop the late events` })
  t.same(await placesHolding(user), {}, 'late events bring back nothing of the user')
  t.same(await placesHolding(anonymous), {}, 'nor of their anonymous id')
  t.same(await placesHolding(otherDevice), {}, 'a late merge links nothing')
  t.same(await placesHolding(lateComment), {}, 'nor the late text')
})
