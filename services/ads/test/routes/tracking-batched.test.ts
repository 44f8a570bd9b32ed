// Tracking hits that arrive together share one transaction (group commit) and count exactly as one
// at a time would: once per decision and kind (a repeat inside a batch too), charged in arrival
// order within each campaign's budgets, per-user impressions only for personalized decisions of
// users not erased since, one event each. A hit that cannot be written fails alone. Real Postgres
// and Kafka. Batches are made sure of by holding the erasure lock (taken first by every batch with
// a user): the first two batches wait on it, and what arrives meanwhile queues behind them; which
// hits shared a transaction is read from their `tracked` rows' xmin.
import type { AnyEvent } from '@attune/contracts'
import { enqueueEvents, erasureLockKey, type KitTables, lockForErasure, recordErasedSubjects } from '@attune/kit'
import { asAdmin, holdInTransaction, recordingStatements, waitFor } from '@attune/kit/testing'
import { type Kysely, sql } from 'kysely'
import t from 'tap'
import { v7 as uuidv7 } from 'uuid'
import { type Hit, recordHits } from '../../src/flows/record-hits.ts'
import { signClaims, signRequest, type TrackingClaims } from '../../src/tracking/token.ts'
import { startHarness } from '../support/harness.ts'

/** The default ADS_SIGNING_SECRET (the harness sets none). */
const DEV_SECRET = 'attune-ads-dev-signing-secret-change-me'

const h = await startHarness()
t.teardown(() => h.close())

type Kind = 'impression' | 'click'
type Interaction = { type: string; userId?: string; decisionId: string }

/** A link as a decision signs it now, made here: ids and user as given, decided a second ago. */
interface Link {
  kind: Kind
  claims: TrackingClaims
}
const link = (kind: Kind, c: { d?: string; a: string; c: string; p: string; u?: string; z?: 0 | 1; f?: string }): Link => ({
  kind,
  claims: { d: c.d ?? uuidv7(), a: c.a, c: c.c, p: c.p, ...(c.u !== undefined ? { u: c.u } : {}), z: c.z ?? 0, f: c.f ?? '', t: Date.now() - 1000 },
})
const urlOf = ({ kind, claims }: Link, token?: string) => {
  const { d, a, c, p, f, ...request } = claims
  return `/v1/track/${kind}?token=${token ?? signRequest(DEV_SECRET, request, [{ d, a, c, p, f }])[0]}`
}
let caller = 0
/** One hit, from a caller of its own (the bot filter counts hits per caller); whether it counted, or the status when it failed. */
const send = async (l: Link, token?: string): Promise<boolean | number> => {
  const r = await h.app.inject({ method: 'GET', url: urlOf(l, token), headers: { 'user-agent': 'Mozilla/5.0', 'x-forwarded-for': `10.0.0.${caller++}` } })
  if (l.kind === 'click') return r.statusCode === 302 ? r.headers['x-attune-counted'] === 'true' : r.statusCode
  return r.statusCode === 200 ? (r.json() as { counted: boolean }).counted : r.statusCode
}

/** Sessions of this test's database waiting for a lock (only the service's, here). */
const lockWaiters = async () =>
  (await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(h.db))
    .rows[0]?.n

/**
 * Sends `leads` (each with a user key) while the erasure lock is held, so that they become the two
 * batches in flight and wait; then `queued`, which wait behind them, and lets everything go.
 */
async function sendBehindLock(leads: [Link, Link], queued: { link: Link; token?: string }[]) {
  const release = await holdInTransaction(h.db as unknown as Kysely<KitTables>, (trx) => lockForErasure(trx, erasureLockKey(h.service.context.schema)))
  try {
    const first = leads.map((l) => send(l))
    await waitFor(async () => (await lockWaiters()) === 2, { what: 'the two leading batches to wait for the erasure lock' })
    const rest = queued.map((q) => send(q.link, q.token))
    // Still two: the others queued in the service, not in Postgres.
    const stillTwo = await lockWaiters()
    await release()
    return { leads: await Promise.all(first), queued: await Promise.all(rest), stillTwo }
  } finally {
    await release()
  }
}

/** The transactions (xmin) that wrote these decisions' `tracked` rows, with how many rows each. */
async function writers(decisionIds: string[]): Promise<number[]> {
  const rows = await h.db
    .selectFrom('tracked')
    .select([sql<string>`xmin::text`.as('tx'), 'decisionId'])
    .where('decisionId', 'in', decisionIds)
    .execute()
  const n = new Map<string, number>()
  for (const r of rows) n.set(r.tx, (n.get(r.tx) ?? 0) + 1)
  return [...n.values()].sort((a, b) => b - a)
}

const report = async (campaignId: string) =>
  (await h.app.inject({ url: `/v1/reports?groupBy=campaign&campaignId=${campaignId}`, headers: asAdmin })).json().rows[0] as {
    impressions: number
    clicks: number
    spend: number
  }
const spentOf = async (campaignId: string) =>
  (await h.db.selectFrom('campaigns').select('spent').where('campaignId', '=', campaignId).executeTakeFirstOrThrow()).spent
const chargesOf = async (decisionIds: string[]) =>
  (await h.db.selectFrom('tracked').select('charged').where('decisionId', 'in', decisionIds).execute()).map((r) => r.charged).sort((a, b) => b - a)
const impressionsOf = async (userIds: string[]) =>
  (await h.db.selectFrom('userImpressions').select('userId').where('userId', 'in', userIds).execute()).map((r) => r.userId).sort()
const interactionOf = (e: AnyEvent) => (e.data as { interaction?: Interaction }).interaction
/** The interaction events of these decisions, once there are `count`. */
const eventsOf = (decisionIds: string[], count: number) =>
  waitFor(
    () => {
      const ids = new Set(decisionIds)
      const mine = h.seen.filter((e) => ids.has(interactionOf(e)?.decisionId ?? ''))
      return mine.length >= count ? mine : undefined
    },
    { what: `${count} interaction events` },
  )

t.test('hits sent together share a transaction and count as one at a time would', async (t) => {
  const adv = await h.advertiser('Batched Co')
  const p = await h.placement('batched')
  const roomy = await h.campaign(adv, { totalBudget: 1000, price: 2 }, ['Roomy'], 'batched')
  const small = await h.campaign(adv, { totalBudget: 0.005, price: 2 }, ['Small'], 'batched')
  const daily = await h.campaign(adv, { totalBudget: 100, dailyBudget: 1, priceModel: 'cpc', price: 0.5 }, ['Daily'], 'batched')
  const R = { a: roomy.adIds[0] as string, c: roomy.campaignId, p }
  const S = { a: small.adIds[0] as string, c: small.campaignId, p }
  const D = { a: daily.adIds[0] as string, c: daily.campaignId, p }

  const erased = 'batched-erased'
  const erasedLink = link('impression', { ...R, u: erased, z: 1 })
  await h.db.transaction().execute(async (trx) => {
    const kit = trx as unknown as Kysely<KitTables>
    await lockForErasure(kit, erasureLockKey(h.service.context.schema))
    await recordErasedSubjects(kit, [erased], new Date(erasedLink.claims.t + 500))
  })
  const counted = link('impression', R)
  t.equal(await send(counted), true, 'a link counted before the batch')

  const leads: [Link, Link] = [link('impression', { ...R, u: 'batched-lead-0', z: 1 }), link('impression', { ...R, u: 'batched-lead-1', z: 1 })]
  const consented = [0, 1, 2].map((i) => link('impression', { ...R, u: `batched-consented-${i}`, z: 1, f: 'IAB17' }))
  const unconsented = [0, 1].map((i) => link('impression', { ...R, u: `batched-unconsented-${i}`, z: 0 }))
  const anonymous = link('impression', R)
  const twice = link('impression', R)
  const clicked = link('click', { ...R, d: anonymous.claims.d })
  const smalls = Array.from({ length: 8 }, () => link('impression', S))
  const clicks = Array.from({ length: 5 }, () => link('click', { ...D, u: 'batched-clicker', z: 1 }))
  const queued = [
    ...consented.map((l) => ({ link: l, counts: true })),
    { link: twice, counts: true },
    ...unconsented.map((l) => ({ link: l, counts: true })),
    { link: anonymous, counts: true },
    { link: erasedLink, counts: true },
    { link: twice, counts: false },
    { link: counted, counts: false },
    { link: clicked, counts: true },
    ...smalls.map((l) => ({ link: l, counts: true })),
    ...clicks.map((l) => ({ link: l, counts: true })),
  ]
  const sent = await sendBehindLock(leads, queued)
  t.same(sent.leads, [true, true], 'the leading hits count')
  t.equal(sent.stillTwo, 2, 'the queued hits waited in the service')
  t.same(
    sent.queued,
    queued.map((q) => q.counts),
    'each first hit counts once, a repeat (in the batch or stored) does not',
  )

  const firsts = [...leads, ...queued.filter((q) => q.counts).map((q) => q.link)]
  const batches = await writers([...new Set(firsts.map((l) => l.claims.d))])
  t.same(batches, [firsts.length - 2, 1, 1], 'the queued hits were written in one transaction, after the two leading ones')

  const roomyImpressions = 2 + consented.length + unconsented.length + 3
  t.match(await report(roomy.campaignId), { impressions: roomyImpressions + 1, clicks: 1 }, 'the roomy campaign: every counted hit')
  t.ok(Math.abs((await spentOf(roomy.campaignId)) - 0.002 * (roomyImpressions + 1)) < 1e-12, 'charged every impression (a CPM click costs nothing)')

  const smallSpent = await spentOf(small.campaignId)
  t.ok(smallSpent >= 0.005 && smallSpent <= 0.005 + 0.002 + 1e-12, `the small campaign ends at most one price over its budget (spent ${smallSpent})`)
  const smallCharges = await chargesOf(smalls.map((l) => l.claims.d))
  t.same(smallCharges, [0.002, 0.002, 0.002, 0, 0, 0, 0, 0], 'charged until the budget was reached, later hits not')
  t.match(await report(small.campaignId), { impressions: 8 }, 'all its impressions still count')
  t.ok(Math.abs((await report(small.campaignId)).spend - smallSpent) < 1e-12, 'the report spend is the campaign spend')

  t.equal(await spentOf(daily.campaignId), 1, 'the daily budget: two clicks of 0.5, then none')
  t.same(await chargesOf(clicks.map((l) => l.claims.d)), [0.5, 0.5, 0, 0, 0])
  const today = await h.db.selectFrom('campaignDailySpend').select('spent').where('campaignId', '=', daily.campaignId).executeTakeFirstOrThrow()
  t.equal(today.spent, 1, 'the daily spend row')
  t.match(await report(daily.campaignId), { impressions: 0, clicks: 5, spend: 1 })

  const adStats = await h.db.selectFrom('adStats').select(['feature', 'impressions', 'clicks']).where('adId', '=', R.a).orderBy('feature').execute()
  t.same(
    adStats.map((r) => [r.feature, Number(r.impressions), Number(r.clicks)]),
    [
      ['', roomyImpressions + 1, 1],
      ['IAB17', consented.length, 0],
    ],
    "the ad's posteriors, overall and for the page feature",
  )

  const users = [...leads, ...consented, ...unconsented, erasedLink, ...clicks].map((l) => l.claims.u as string)
  t.same(
    await impressionsOf(users),
    ['batched-consented-0', 'batched-consented-1', 'batched-consented-2', 'batched-lead-0', 'batched-lead-1'],
    'per-user impressions: personalized impressions of users not erased, only',
  )

  const events = await eventsOf(
    firsts.map((l) => l.claims.d),
    firsts.length,
  )
  t.equal(events.length, firsts.length, 'one event per counted hit')
  const eventOf = (l: Link) => events.find((e) => interactionOf(e)?.decisionId === l.claims.d && interactionOf(e)?.type === `ad_${l.kind}`)
  t.match(eventOf(consented[0] as Link), {
    subject: 'batched-consented-0',
    data: { interaction: { userId: 'batched-consented-0', adId: R.a, placementId: p } },
  })
  t.match(
    eventOf(unconsented[0] as Link),
    { subject: 'batched-unconsented-0', data: { interaction: { userId: 'batched-unconsented-0' } } },
    'names a user without consent',
  )
  t.equal(eventOf(anonymous)?.subject, anonymous.claims.d, 'no user key: about the decision')
  const erasedEvent = eventOf(erasedLink)
  t.equal(erasedEvent?.subject, erasedLink.claims.d, 'the erased user: about the decision')
  t.notOk(interactionOf(erasedEvent as AnyEvent)?.userId, 'and about no user')
  t.notOk(JSON.stringify(erasedEvent).includes(erased), 'the erased user is named nowhere')
})

t.test('two batches in flight on one campaign: the later sees what the earlier spent that day', async (t) => {
  const adv = await h.advertiser('Racing Co')
  const p = await h.placement('racing')
  const c = await h.campaign(adv, { totalBudget: 100, dailyBudget: 0.5, priceModel: 'cpc', price: 0.5 }, ['Racing'], 'racing')
  const E = { a: c.adIds[0] as string, c: c.campaignId, p }
  // Both batches read their snapshot while the campaign is locked, then charge one after the other.
  const release = await holdInTransaction(h.db, (trx) =>
    trx.selectFrom('campaigns').select('campaignId').where('campaignId', '=', c.campaignId).forUpdate().execute(),
  )
  const clicks = [link('click', E), link('click', E)]
  const sent = clicks.map((l) => send(l))
  try {
    await waitFor(async () => (await lockWaiters()) === 2, { what: 'both batches to wait for the campaign' })
  } finally {
    await release()
  }
  t.same(await Promise.all(sent), [true, true], 'both clicks count')
  t.equal(await spentOf(c.campaignId), 0.5, 'charged once: the daily budget was reached by the first')
  t.same(await chargesOf(clicks.map((l) => l.claims.d)), [0.5, 0])
})

t.test('a hit that cannot be written fails alone; the others of its batch still count', async (t) => {
  const adv = await h.advertiser('Failing Co')
  const p = await h.placement('failing')
  const c = await h.campaign(adv, { totalBudget: 1000, price: 2 }, ['Steady'], 'failing')
  const F = { a: c.adIds[0] as string, c: c.campaignId, p }
  const leads: [Link, Link] = [link('impression', { ...F, u: 'failing-lead-0' }), link('impression', { ...F, u: 'failing-lead-1' })]
  const good = Array.from({ length: 6 }, (_, i) => link('impression', { ...F, u: `failing-${i}`, z: 1 }))
  // A link whose placement is no UUID (a version 1 token may carry any id): its report row cannot
  // be written (stats_daily.placement_id is a uuid), after its tracked row and its charge were.
  const bad = link('impression', { ...F, p: 'not-a-uuid', u: 'failing-bad', z: 1 })
  const queued = [
    ...good.slice(0, 3).map((l) => ({ link: l })),
    { link: bad, token: signClaims(DEV_SECRET, bad.claims) },
    ...good.slice(3).map((l) => ({ link: l })),
  ]
  const sent = await sendBehindLock(leads, queued)
  t.same(sent.leads, [true, true])
  t.equal(sent.stillTwo, 2, 'the queued hits waited in the service, to go in one batch')
  t.same(sent.queued, [true, true, true, 500, true, true, true], 'the bad hit fails (500), the others count')
  t.same(await writers(good.map((l) => l.claims.d)), [1, 1, 1, 1, 1, 1], 'after the shared transaction failed, each hit was written alone')
  t.same(await writers([bad.claims.d]), [], 'nothing of the bad hit is kept')
  const counted = leads.length + good.length
  t.ok(Math.abs((await spentOf(c.campaignId)) - 0.002 * counted) < 1e-12, 'each counted hit charged once: the failed transaction charged nothing')
  t.match(await report(c.campaignId), { impressions: counted })
  t.same(await impressionsOf(['failing-bad', ...good.map((l) => l.claims.u as string)]), good.map((l) => l.claims.u as string).sort())
  await eventsOf(
    good.map((l) => l.claims.d),
    good.length,
  )
  t.notOk(
    h.seen.some((e) => interactionOf(e)?.decisionId === bad.claims.d),
    'no event for the bad hit',
  )
})

t.test("a batch's statements do not grow with its size", async (t) => {
  const adv = await h.advertiser('Statements Co')
  const p = await h.placement('statements')
  const c = await h.campaign(adv, { totalBudget: 1000, price: 2 }, ['Counted'], 'statements')
  const c2 = await h.campaign(adv, { totalBudget: 1000, priceModel: 'cpc', price: 0.5 }, ['Clicked'], 'statements')
  const { schema } = h.service.context
  const topic = h.service.context.topic
  const statementsOf = async (links: Link[]) => {
    const recording = recordingStatements(h.db)
    const ctx = {
      schema,
      name: 'ads',
      topic,
      transaction: <T>(fn: (trx: never, emit: (m: never[]) => Promise<void>) => Promise<T>) =>
        recording.db.transaction().execute((trx) => fn(trx as never, (m) => enqueueEvents(trx as unknown as Kysely<KitTables>, m))),
    } as unknown as Parameters<typeof recordHits>[0]
    const hits: Hit[] = links.map((l) => ({ kind: l.kind, claims: l.claims, cost: l.kind === 'impression' ? 0.002 : 0.5, at: new Date() }))
    const out = await recordHits(ctx, hits)
    t.equal(out.filter(Boolean).length, links.length, `${links.length} counted`)
    return recording.kinds.length
  }
  // Every path at once: a user with consent (lock, tombstones, per-user impression), a page
  // feature, a charge, an existing ad; the larger batch over two campaigns, impressions and clicks.
  const one = await statementsOf([link('impression', { a: c.adIds[0] as string, c: c.campaignId, p, u: 'statements-0', z: 1, f: 'IAB1' })])
  const many = await statementsOf(
    Array.from({ length: 40 }, (_, i) =>
      i % 2
        ? link('impression', { a: c.adIds[0] as string, c: c.campaignId, p, u: `statements-${i}`, z: 1, f: 'IAB1' })
        : link('click', { a: c2.adIds[0] as string, c: c2.campaignId, p, u: `statements-${i}`, z: 1 }),
    ),
  )
  t.equal(many, one, `${one} statements for 1 hit and for 40`)
})
