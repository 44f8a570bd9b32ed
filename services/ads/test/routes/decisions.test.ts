// The decision API on real Postgres and Kafka: tiers, one ad per request, contextual targeting and
// brand safety, consent rules (audience only with ad-personalization consent, no per-user history
// without it), frequency caps, budgets, idempotent tracking with events, `why`, and erasure.
// Each subtest uses a format of its own, so campaigns of one never compete in another.
import { randomUUID } from 'node:crypto'
import { EventTypes } from '@attune/contracts'
import { asAdmin, asSite, waitFor } from '@attune/kit/testing'
import t from 'tap'
import { v7 as uuidv7 } from 'uuid'
import {
  BATCH_MAX_CHARS,
  BATCH_SPAN_MS,
  decisionRequestRow,
  findDecision,
  purgeDecisions,
  recordDecisionBatches,
  userDecisionsInBatches,
} from '../../src/store/decisions-store.ts'
import { eraseUser } from '../../src/store/erase-user.ts'
import { exportUser } from '../../src/store/export-user.ts'
import { signClaims, verifyToken } from '../../src/tracking/token.ts'
import { startHarness } from '../support/harness.ts'
import { loggedChoice } from '../support/logged-choice.ts'

/** The default ADS_SIGNING_SECRET (the harness sets none). */
const DEV_SECRET = 'attune-ads-dev-signing-secret-change-me'

const h = await startHarness()
t.teardown(() => h.close())

type Decided = {
  placementId: string
  decision: null | { decisionId: string; ad: { adId: string; campaignId: string }; impressionUrl: string; clickUrl: string; personalized: boolean }
}
const decisionsOf = (r: { json(): { placements: Decided[] } }) => r.json().placements
const hit = (url: string, headers: Record<string, string> = {}) => h.app.inject({ method: 'GET', url, headers: { 'user-agent': 'Mozilla/5.0', ...headers } })
const count = async (table: 'userImpressions' | 'decisions', userId: string) =>
  Number(
    (
      await h.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('userId', '=', userId)
        .executeTakeFirstOrThrow()
    ).n,
  )
/** Decisions logged about a user: in batch rows since migration 0004, a row per request from 0003, per placement before. */
const logged = async (userId: string) =>
  (await userDecisionsInBatches(h.db, userId)).length +
  (await h.db.selectFrom('decisionRequests').select('decisions').where('userId', '=', userId).execute()).reduce((n, r) => n + r.decisions.length, 0) +
  (await count('decisions', userId))

t.test('tiers come first, and one request never shows the same ad twice', async (t) => {
  const adv = await h.advertiser('Tiers Co')
  const p1 = await h.placement('tiers')
  const p2 = await h.placement('tiers')
  const p3 = await h.placement('tiers')
  const house = await h.campaign(adv, { tier: 'house', price: 0 }, ['House'], 'tiers')
  const standard = await h.campaign(adv, { tier: 'standard', price: 50 }, ['Rich standard'], 'tiers')
  const sponsor = await h.campaign(adv, { tier: 'sponsorship', price: 1 }, ['Sponsor'], 'tiers')
  const r = await h.decide({ placements: [{ placementId: p1 }, { placementId: p2 }, { placementId: p3 }] }, asSite)
  t.equal(r.statusCode, 200, r.body)
  const shown = decisionsOf(r).map((d) => d.decision?.ad.campaignId)
  t.same(shown, [sponsor.campaignId, standard.campaignId, house.campaignId], 'sponsorship before a pricier standard ad, house last')
  const four = await h.decide({ placements: [{ placementId: p1 }, { placementId: p2 }, { placementId: p3 }, { placementId: p1 }] })
  t.equal(decisionsOf(four)[3]?.decision, null, 'no fourth distinct ad: none rather than a repeat')
  t.equal(new Set(decisionsOf(four).flatMap((d) => (d.decision ? [d.decision.ad.adId] : []))).size, 3)
})

t.test('contextual targeting, language, country and brand safety', async (t) => {
  const safe = await h.advertiser('Careful Co', ['IAB25'])
  const p = await h.placement('ctx')
  const sports = await h.campaign(safe, { targeting: { categories: ['IAB17'] } }, ['Sport shoes'], 'ctx')
  const french = await h.campaign(safe, { targeting: { keywords: ['fromage'], languages: ['fr'], countries: ['FR'] } }, ['Fromage'], 'ctx')
  const decide = async (context: object) => decisionsOf(await h.decide({ placements: [{ placementId: p }], context }))[0]?.decision
  const onSports = await decide({ text: 'The football team won the cup match; the coach praised every player.', language: 'en' })
  t.equal(onSports?.ad.campaignId, sports.campaignId, 'category inferred from the text')
  t.equal((await decide({ categories: ['IAB17-44'] }))?.ad.campaignId, sports.campaignId, 'a subcategory given by the site matches its parent')
  t.equal(await decide({ text: 'A recipe for dinner with wine and cooking tips from a chef' }), null, 'nothing targets food')
  t.equal((await decide({ keywords: ['Fromage'], language: 'fr-FR', country: 'fr' }))?.ad.campaignId, french.campaignId)
  t.equal(await decide({ keywords: ['fromage'], language: 'fr', country: 'BE' }), null, 'country must match')
  t.equal(await decide({ keywords: ['fromage'], language: 'en', country: 'FR' }), null, 'language must match')
  t.equal(
    await decide({ text: 'Football match: the team player was killed in a shooting after the cup, the coach said', language: 'en' }),
    null,
    'a page inferred as violent (IAB25-2) never shows an advertiser blocking IAB25',
  )
})

t.test('consent: audience targeting and per-user history only with ad-personalization consent', async (t) => {
  const adv = await h.advertiser('Audience Co')
  const p = await h.placement('aud')
  const segment = randomUUID()
  const audience = await h.campaign(
    adv,
    { tier: 'sponsorship', targeting: { segments: [segment] }, frequencyCap: { max: 2, windowSeconds: 3600 } },
    ['For you'],
    'aud',
  )
  const contextual = await h.campaign(adv, {}, ['For everyone'], 'aud')
  const user = 'user-consent-1'
  await h.publish('profiles', EventTypes.segmentMembershipChanged.type, user, { segmentId: segment, userId: user, change: 'joined' })
  await waitFor(async () => (await h.db.selectFrom('adUsers').select('segments').where('userId', '=', user).executeTakeFirst())?.segments.includes(segment))
  const decide = async () => (await h.decide({ userKey: user, placements: [{ placementId: p }] })).json()

  const unknown = await decide()
  t.equal(unknown.personalized, false, 'no consent recorded: context only')
  t.equal(unknown.placements[0].decision.ad.campaignId, contextual.campaignId)
  await hit(unknown.placements[0].decision.impressionUrl)
  t.equal(await count('userImpressions', user), 0, 'no per-user history without consent')
  t.equal(await logged(user), 0)

  await h.setConsent(user, 'granted')
  const granted = await waitFor(async () => {
    const d = await decide()
    return d.personalized ? d : undefined
  })
  t.equal(granted.placements[0].decision.ad.campaignId, audience.campaignId, 'segment targeting with consent')
  // Frequency cap 2 per hour: two counted impressions, then the audience campaign rests.
  t.same((await hit(granted.placements[0].decision.impressionUrl)).json(), { counted: true })
  t.equal(await count('userImpressions', user), 1)
  const second = await decide()
  t.equal(second.placements[0].decision.ad.campaignId, audience.campaignId)
  await hit(second.placements[0].decision.impressionUrl)
  const capped = await decide()
  t.equal(capped.placements[0].decision.ad.campaignId, contextual.campaignId, 'capped after 2 impressions')

  // The non-personalized switch wins over consent, and what was kept for caps goes.
  await h.publish('profiles', EventTypes.preferencesUpdated.type, user, {
    userId: user,
    followedTopics: [],
    mutedTopics: [],
    mutedAuthors: [],
    mutedItems: [],
    channels: { email: true, push: true, sms: false, in_app: true, webhook: false },
    quietHours: null,
    frequencyCaps: {},
    languages: [],
    style: { formality: 'neutral', length: 'short', emoji: 'none', readingLevel: 'standard' },
    nonPersonalized: true,
    updatedAt: new Date().toISOString(),
  })
  await waitFor(async () => (await decide()).personalized === false, { what: 'switch mirrored' })
  t.equal(await count('userImpressions', user), 0, 'history dropped with the switch')
  t.equal((await decide()).placements[0].decision.ad.campaignId, contextual.campaignId)
})

t.test('budgets: a campaign stops within one price of its budget; spend is atomic', async (t) => {
  const adv = await h.advertiser('Budget Co')
  const p = await h.placement('budget')
  // CPM 2 = 0.002 per impression; a budget of 0.005 allows 3 charges at most (0.006 ≤ 0.005 + 0.002).
  const c = await h.campaign(adv, { totalBudget: 0.005, price: 2 }, ['Small'], 'budget')
  let served = 0
  for (let i = 0; i < 10; i++) {
    const d = decisionsOf(await h.decide({ placements: [{ placementId: p }] }))[0]?.decision
    if (!d) break
    served++
    await hit(d.impressionUrl)
  }
  const row = await h.db.selectFrom('campaigns').select('spent').where('campaignId', '=', c.campaignId).executeTakeFirstOrThrow()
  t.ok(row.spent <= 0.005 + 0.002 + 1e-12, `spent ${row.spent}`)
  t.ok(row.spent >= 0.005, 'the budget was used')
  t.ok(served <= 3, `served ${served}`)
  t.equal(decisionsOf(await h.decide({ placements: [{ placementId: p }] }))[0]?.decision, null, 'no more once spent')

  // Concurrent impressions of decisions made before the budget ran out still cannot overspend.
  const c2 = await h.campaign(adv, { totalBudget: 0.01, price: 2 }, ['Race'], 'budget2')
  const p2 = await h.placement('budget2')
  const links: string[] = []
  for (let i = 0; i < 20; i++) {
    const d = decisionsOf(await h.decide({ placements: [{ placementId: p2 }] }))[0]?.decision
    if (d) links.push(d.impressionUrl)
  }
  await Promise.all(links.map((l) => hit(l, { 'x-forwarded-for': String(Math.random()) })))
  const r2 = await h.db.selectFrom('campaigns').select('spent').where('campaignId', '=', c2.campaignId).executeTakeFirstOrThrow()
  t.ok(r2.spent <= 0.01 + 0.002 + 1e-12, `spent ${r2.spent} with ${links.length} impressions racing`)
})

t.test('tracking is signed, idempotent, ignores bots, publishes events, and reports add up', async (t) => {
  const adv = await h.advertiser('Track Co')
  const p = await h.placement('track')
  const c = await h.campaign(adv, { priceModel: 'cpc', price: 0.5 }, ['Clickable'], 'track')
  const d = decisionsOf(await h.decide({ userKey: 'user-track', placements: [{ placementId: p }] }))[0]?.decision
  if (!d) throw new Error('no decision')
  t.same((await hit(d.impressionUrl)).json(), { counted: true })
  t.same((await hit(d.impressionUrl)).json(), { counted: false }, 'a repeat is not counted')
  t.same((await hit(d.impressionUrl.replace(/.$/, (ch) => (ch === 'A' ? 'B' : 'A')))).statusCode, 400, 'a forged signature is refused')
  const bot = decisionsOf(await h.decide({ placements: [{ placementId: p }] }))[0]?.decision
  t.same((await hit(bot?.impressionUrl ?? '', { 'user-agent': 'Googlebot/2.1' })).json(), { counted: false }, 'crawlers are not counted')
  const click = await hit(d.clickUrl)
  t.equal(click.statusCode, 302)
  t.equal(click.headers.location, 'https://shop.example.com/x')
  t.equal(click.headers['x-attune-counted'], 'true')
  t.equal((await hit(d.clickUrl)).headers['x-attune-counted'], 'false', 'a second click is not counted')
  const events = await waitFor(() => {
    const mine = h.seen.filter((e) => (e.data as { interaction?: { decisionId?: string } }).interaction?.decisionId === d.decisionId)
    return mine.length >= 2 ? mine : undefined
  })
  t.same(events.map((e) => (e.data as { interaction: { type: string } }).interaction.type).sort(), ['ad_click', 'ad_impression'], 'one event each')
  t.match(events[0]?.data, { interaction: { userId: 'user-track', adId: d.ad.adId, placementId: p } })
  const report = await h.app.inject({ url: `/v1/reports?groupBy=campaign&campaignId=${c.campaignId}`, headers: asAdmin })
  t.same(report.json().rows, [{ key: c.campaignId, impressions: 1, clicks: 1, ctr: 1, spend: 0.5, ecpm: 500 }])
  const byDay = await h.app.inject({ url: `/v1/reports?groupBy=day&campaignId=${c.campaignId}`, headers: asAdmin })
  t.equal(byDay.json().rows[0].key, new Date().toISOString().slice(0, 10))
  const byPlacement = await h.app.inject({ url: `/v1/reports?groupBy=placement&campaignId=${c.campaignId}`, headers: asAdmin })
  t.equal(byPlacement.json().rows[0].key, p)
})

t.test('links signed per decision before one signature per request still count once', async (t) => {
  const adv = await h.advertiser('Old Links Co')
  const p = await h.placement('oldlinks')
  await h.campaign(adv, {}, ['Old'], 'oldlinks')
  const d = decisionsOf(await h.decide({ userKey: 'user-old-link', placements: [{ placementId: p }] }))[0]?.decision
  if (!d) throw new Error('no decision')
  const token = new URL(d.impressionUrl, 'http://x').searchParams.get('token') ?? ''
  t.equal(token.split('.').length, 3, 'issued now: <i>.<claims>.<mac>')
  const claims = verifyToken(DEV_SECRET, token)
  if (!claims) throw new Error('token does not verify')
  t.match(claims, { d: d.decisionId, a: d.ad.adId, c: d.ad.campaignId, p, u: 'user-old-link', z: 0 })
  // The same decision's link as issued before (a version 1 token), once, then a repeat.
  const old = `/v1/track/impression?token=${signClaims(DEV_SECRET, claims)}`
  t.same((await hit(old)).json(), { counted: true })
  t.same((await hit(d.impressionUrl)).json(), { counted: false }, 'the decision counts once whichever link')
})

t.test('why explains a shown ad in plain words', async (t) => {
  const adv = await h.advertiser('Trail Outfitters')
  const p = await h.placement('why')
  await h.campaign(adv, { targeting: { categories: ['IAB20'], languages: ['en'] } }, ['Trips'], 'why')
  const d = decisionsOf(
    await h.decide({
      userKey: 'user-why',
      placements: [{ placementId: p }],
      context: { text: 'Cheap flights and a beach hotel for your holiday trip', language: 'en' },
    }),
  )[0]?.decision
  if (!d) throw new Error('no decision')
  const why = await h.app.inject({ url: `/v1/decisions/${d.decisionId}/why` })
  t.equal(why.statusCode, 200, why.body)
  const w = why.json()
  t.match(w, { advertiser: 'Trail Outfitters', personalized: false, tier: 'standard' })
  t.same(w.matched, [
    { kind: 'language', value: 'en' },
    { kind: 'inferred_category', value: 'IAB20' },
  ])
  t.match(w.explanation, /paid for by Trail Outfitters/)
  t.match(w.explanation, /page text reads as Travel \(IAB20\)/)
  t.match(w.explanation, /not personalized: nothing about you was used/)
  t.ok(w.propensity > 0 && w.propensity <= 1)
  // Also once written behind (another replica answers from the database), the same.
  const stored = await waitFor(async () => findDecision(h.db, d.decisionId))
  t.same(stored?.reasons, w.matched)
  t.match(stored, { decisionId: d.decisionId, campaignId: d.ad.campaignId, personalized: false, propensity: w.propensity, tier: 'standard' })
  t.equal(stored?.createdAt.toISOString(), w.decidedAt)
  t.equal((await h.app.inject({ url: `/v1/decisions/${randomUUID()}/why` })).statusCode, 404)
  // A URN passed ajv-formats' uuid and failed in Postgres as a 500.
  const urn = await h.app.inject({ url: `/v1/decisions/urn:uuid:${randomUUID()}/why` })
  t.equal(urn.statusCode, 400)
  t.match(urn.json(), { code: 'validation_failed', errors: [{ field: '/decisionId' }] })
  // A UUIDv7 whose 48-bit time is in the year 10889: not a decision of ours (a 500 before).
  t.equal((await h.app.inject({ url: '/v1/decisions/ffffffff-ffff-7fff-bfff-ffffffffffff/why' })).statusCode, 404)
})

t.test('erasure leaves nothing about the user', async (t) => {
  const adv = await h.advertiser('Erase Co')
  const p = await h.placement('erase')
  await h.campaign(adv, { frequencyCap: { max: 5, windowSeconds: 3600 } }, ['E'], 'erase')
  const user = 'user-erase'
  await h.setConsent(user, 'granted')
  const d = decisionsOf(await h.decide({ userKey: user, placements: [{ placementId: p }] }))[0]?.decision
  t.equal(d?.personalized, true)
  await hit(d?.impressionUrl ?? '')
  await waitFor(async () => (await logged(user)) > 0, { what: 'decision written' })
  t.equal(await count('userImpressions', user), 1)
  await h.publish('privacy', EventTypes.erasureRequested.type, user, { requestId: randomUUID(), userId: user })
  await waitFor(async () => h.seen.some((e) => e.type === EventTypes.erasureCompleted.type && (e.data as { userId: string }).userId === user), {
    what: 'erasure confirmed',
  })
  t.equal(await count('userImpressions', user), 0)
  t.equal(await logged(user), 0)
  t.equal((await h.db.selectFrom('adUsers').selectAll().where('userId', '=', user).execute()).length, 0)
})

t.test('a flush larger than BATCH_MAX_CHARS is written as several batch rows, each decision found and exported', async (t) => {
  const T = Date.now() - 20_000
  const user = 'user-many-batches'
  const requests = Array.from({ length: 400 }, (_, i) => {
    const at = T + i
    const userId = i % 2 ? user : null
    // Three decisions a request, as three placements make.
    const decisions = [0, 1, 2].map(() => loggedChoice(uuidv7({ msecs: at })))
    const logged = { requestId: uuidv7({ msecs: at }), userId, personalized: userId !== null, createdAt: at, decisions }
    return { logged, batched: { row: decisionRequestRow(logged), userId, at } }
  })
  t.ok(requests.reduce((n, r) => n + r.batched.row.length + 1, 0) > 2 * BATCH_MAX_CHARS, 'more than two batches’ worth')
  await recordDecisionBatches(
    h.db,
    requests.map((r) => r.batched),
  )
  const rows = await h.db
    .selectFrom('decisionBatches')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max(eb.fn('length', ['requests'])).as('longest')])
    .where('firstAt', '>=', new Date(T))
    .where('lastAt', '<', new Date(T + 400))
    .executeTakeFirstOrThrow()
  t.ok(Number(rows.n) >= 3, `${rows.n} batch rows`)
  t.ok(Number(rows.longest) <= BATCH_MAX_CHARS)
  for (const i of [0, 199, 399]) {
    const r = requests[i]
    t.match(await findDecision(h.db, r?.logged.decisions[0]?.decisionId ?? ''), { requestId: r?.logged.requestId })
  }
  t.same(
    (await exportUser(h.db, user)).decisions.map((d) => d.decisionId),
    requests.filter((r) => r.logged.userId === user).flatMap((r) => r.logged.decisions.map((d) => d.decisionId)),
    'in order',
  )
  await h.db.transaction().execute((trx) => eraseUser(trx, user))
  t.same((await exportUser(h.db, user)).decisions, [])
})

t.test('batch rows: found at the edges of their second, erasure takes one user out of a shared batch, purge by age', async (t) => {
  const T = Date.now() - 10_000
  const [a, b] = ['user-batch-a', 'user-batch-b']
  // Out of time order (a retried batch comes first), the first three spanning exactly BATCH_SPAN_MS: one batch; the fourth a second.
  const requests = (
    [
      [a, 500],
      [b, 0],
      [a, BATCH_SPAN_MS],
      [null, BATCH_SPAN_MS + 1],
    ] as const
  ).map(([userId, dt]) => {
    const at = T + dt
    const logged = { requestId: uuidv7({ msecs: at }), userId, personalized: userId !== null, createdAt: at, decisions: [loggedChoice(uuidv7({ msecs: at }))] }
    return { logged, batched: { row: decisionRequestRow(logged), userId, at } }
  })
  await recordDecisionBatches(
    h.db,
    requests.map((r) => r.batched),
  )
  const ids = requests.map((r) => r.logged.decisions[0]?.decisionId ?? '')
  for (const [i, r] of requests.entries()) {
    t.match(await findDecision(h.db, ids[i] ?? ''), { requestId: r.logged.requestId, userId: r.logged.userId, createdAt: new Date(r.logged.createdAt) })
  }
  const batches = await h.db
    .selectFrom('decisionBatches')
    .select(['batchId', 'userIds', 'firstAt', 'lastAt'])
    .where('firstAt', '>=', new Date(T))
    .where('lastAt', '<=', new Date(T + BATCH_SPAN_MS + 1))
    .orderBy('firstAt')
    .execute()
  t.same(
    batches.map((x) => [x.firstAt.getTime() - T, x.lastAt.getTime() - T, [...x.userIds].sort()]),
    [
      [0, BATCH_SPAN_MS, [a, b]],
      [BATCH_SPAN_MS + 1, BATCH_SPAN_MS + 1, []],
    ],
  )
  await h.db.transaction().execute((trx) => eraseUser(trx, a))
  t.equal(await findDecision(h.db, ids[0] ?? ''), undefined)
  t.equal(await findDecision(h.db, ids[2] ?? ''), undefined)
  t.match(await findDecision(h.db, ids[1] ?? ''), { userId: b })
  t.same(
    (await exportUser(h.db, b)).decisions.map((x) => x.decisionId),
    [ids[1]],
  )
  const shared = await h.db
    .selectFrom('decisionBatches')
    .select(['userIds', 'requests'])
    .where('batchId', '=', batches[0]?.batchId ?? '')
    .executeTakeFirstOrThrow()
  t.same(shared.userIds, [b], 'the batch no longer lists the user')
  t.notOk(shared.requests.includes(`"${a}"`), 'nor holds any of their requests')
  await purgeDecisions(h.db, new Date(T + BATCH_SPAN_MS + 1))
  t.equal(await findDecision(h.db, ids[1] ?? ''), undefined, 'a batch older than the cut is purged')
  t.ok(await findDecision(h.db, ids[3] ?? ''), 'one that ends at the cut stays')
  await h.db.transaction().execute((trx) => eraseUser(trx, b))
  t.equal(await logged(b), 0)
})

t.test('decisions logged per placement (before 0003) and per request (0003 to 0004) are still found, exported, erased and purged', async (t) => {
  const adv = await h.advertiser('Legacy Co')
  const p = await h.placement('legacy')
  const c = await h.campaign(adv, {}, ['L'], 'legacy')
  const user = 'user-legacy'
  await h.setConsent(user, 'granted')
  const d = decisionsOf(await h.decide({ userKey: user, placements: [{ placementId: p }] }))[0]?.decision
  if (!d) throw new Error('no decision')
  await waitFor(async () => findDecision(h.db, d.decisionId), { what: 'decision written' })
  const old = {
    decisionId: randomUUID(),
    requestId: randomUUID(),
    placementId: p,
    adId: d.ad.adId,
    campaignId: c.campaignId,
    userId: user,
    personalized: true,
    tier: 'standard' as const,
    value: 0.5,
    propensity: 0.25,
    feature: '',
    reasons: JSON.stringify([{ kind: 'untargeted', value: 'run of site' }]),
    copyVariantId: null,
    copySegmentId: null,
    createdAt: new Date(Date.now() - 60_000),
  }
  await h.db.insertInto('decisions').values(old).execute()
  // A request row as 0003 to 0004 wrote them; its decision id carries its time, as the serving path's do.
  const at = Date.now() - 45_000
  const perRequest = {
    ...old,
    decisionId: uuidv7({ msecs: at }),
    requestId: uuidv7({ msecs: at }),
    reasons: [{ kind: 'untargeted' as const, value: 'run of site' }],
  }
  const row = JSON.parse(decisionRequestRow({ ...perRequest, createdAt: at, decisions: [perRequest] })) as unknown[]
  await h.db
    .insertInto('decisionRequests')
    .values({ requestId: perRequest.requestId, userId: user, personalized: true, createdAt: new Date(at), decisions: JSON.stringify(row[4]) })
    .execute()
  for (const id of [old.decisionId, perRequest.decisionId]) {
    const why = await h.app.inject({ url: `/v1/decisions/${id}/why` })
    t.equal(why.statusCode, 200, why.body)
    t.match(why.json(), { decisionId: id, advertiser: 'Legacy Co', propensity: 0.25, matched: [{ kind: 'untargeted' }] })
  }
  const exported = await exportUser(h.db, user)
  t.same(
    exported.decisions.map((x) => x.decisionId),
    [old.decisionId, perRequest.decisionId, d.decisionId],
    'all three logs, oldest first',
  )
  t.match(exported.decisions[2], { adId: d.ad.adId, campaignId: d.ad.campaignId, placementId: p, personalized: true })
  await purgeDecisions(h.db, new Date(Date.now() - 30_000))
  t.equal(await findDecision(h.db, old.decisionId), undefined, 'purged by age')
  t.equal(await findDecision(h.db, perRequest.decisionId), undefined, 'purged by age (per request)')
  t.ok(await findDecision(h.db, d.decisionId), 'a recent one stays')
  await h.db.transaction().execute((trx) => eraseUser(trx, user))
  t.equal(await logged(user), 0)
  t.equal(await findDecision(h.db, d.decisionId), undefined)
})
