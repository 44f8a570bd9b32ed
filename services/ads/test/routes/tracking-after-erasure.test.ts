// Tracking links outlive their user's erasure (ADS_TRACKING_TTL_SECONDS): a hit on a personalized
// decision's link after the user was erased still counts for the campaign, but as a
// non-personalized one (no per-user impression, no user id in the event); a user erased before
// the decision (and back since) is new data and tracked as usual. Real Postgres and Kafka.
import type { AnyEvent } from '@attune/contracts'
import { erasureLockKey, type KitTables, lockForErasure, recordErasedSubjects } from '@attune/kit'
import { asAdmin, waitFor } from '@attune/kit/testing'
import type { Kysely } from 'kysely'
import t from 'tap'
import { verifyToken } from '../../src/tracking/token.ts'
import { startHarness } from '../support/harness.ts'

/** The default ADS_SIGNING_SECRET (the harness sets none). */
const DEV_SECRET = 'attune-ads-dev-signing-secret-change-me'

const h = await startHarness()
t.teardown(() => h.close())

type Decision = { decisionId: string; ad: { adId: string; campaignId: string }; impressionUrl: string; clickUrl: string; personalized: boolean }
type Interaction = { type: string; userId?: string; anonymousId?: string; decisionId: string }

const hit = (url: string) => h.app.inject({ method: 'GET', url, headers: { 'user-agent': 'Mozilla/5.0' } })
const impressionsOf = async (userId: string) => (await h.db.selectFrom('userImpressions').select('campaignId').where('userId', '=', userId).execute()).length
const interactionOf = (e: AnyEvent) => (e.data as { interaction?: Interaction }).interaction

/** A personalized decision for the user (consent granted), and its claims' decision time. */
async function personalizedDecision(userId: string, placementId: string): Promise<{ d: Decision; decidedAt: number }> {
  await h.setConsent(userId, 'granted')
  const d = await waitFor(async () => {
    const r = (await h.decide({ userKey: userId, placements: [{ placementId }] })).json() as { placements: { decision: Decision | null }[] }
    const decision = r.placements[0]?.decision
    return decision?.personalized ? decision : undefined
  })
  const claims = verifyToken(DEV_SECRET, new URL(d.impressionUrl, 'http://x').searchParams.get('token') ?? '')
  if (claims?.u !== userId || claims.z !== 1) throw new Error(`not a personalized link for ${userId}`)
  return { d, decidedAt: claims.t }
}

/** Records the user's tombstone as the kit's erasure consumer does: exclusive erasure lock, then the time the erasure was asked for. */
async function recordTombstone(userId: string, at: Date) {
  await h.db.transaction().execute(async (trx) => {
    const kit = trx as unknown as Kysely<KitTables>
    await lockForErasure(kit, erasureLockKey(h.service.context.schema))
    await recordErasedSubjects(kit, [userId], at)
  })
}

/** The two interaction events published for a decision, once both arrived. */
const eventsOf = (decisionId: string) =>
  waitFor(() => {
    const mine = h.seen.filter((e) => interactionOf(e)?.decisionId === decisionId)
    return mine.length >= 2 ? mine : undefined
  })

t.test('hits of a personalized link after the user was erased count, about no one', async (t) => {
  const adv = await h.advertiser('Erased Hits Co')
  const p = await h.placement('erased-hits')
  const c = await h.campaign(adv, { priceModel: 'cpc', price: 0.5 }, ['Still counted'], 'erased-hits')
  const user = 'user-erased-after-decision'
  const { d, decidedAt } = await personalizedDecision(user, p)
  await recordTombstone(user, new Date(decidedAt + 1000))

  t.same((await hit(d.impressionUrl)).json(), { counted: true }, 'the impression counts')
  t.same((await hit(d.impressionUrl)).json(), { counted: false }, 'once')
  const click = await hit(d.clickUrl)
  t.equal(click.statusCode, 302)
  t.equal(click.headers['x-attune-counted'], 'true', 'the click counts')
  t.equal((await hit(d.clickUrl)).headers['x-attune-counted'], 'false', 'once')

  const report = await h.app.inject({ url: `/v1/reports?groupBy=campaign&campaignId=${c.campaignId}`, headers: asAdmin })
  t.same(report.json().rows, [{ key: c.campaignId, impressions: 1, clicks: 1, ctr: 1, spend: 0.5, ecpm: 500 }], 'counts and spend of the campaign')
  t.equal(await impressionsOf(user), 0, 'no per-user impression kept')

  const events = await eventsOf(d.decisionId)
  t.same(events.map((e) => interactionOf(e)?.type).sort(), ['ad_click', 'ad_impression'], 'one event each')
  for (const e of events) {
    t.notOk(interactionOf(e)?.userId, `${interactionOf(e)?.type}: no user id`)
    t.notOk(interactionOf(e)?.anonymousId, `${interactionOf(e)?.type}: no anonymous id`)
    t.equal(e.subject, d.decisionId, `${interactionOf(e)?.type}: about the decision, not the user`)
    t.notOk(JSON.stringify(e).includes(user), `${interactionOf(e)?.type}: the user is named nowhere`)
  }
})

t.test('a user erased before the decision (and back since) is tracked as usual', async (t) => {
  const adv = await h.advertiser('Returning Co')
  const p = await h.placement('returning')
  await h.campaign(adv, {}, ['Welcome back'], 'returning')
  const user = 'user-erased-before-decision'
  await recordTombstone(user, new Date(Date.now() - 60_000))
  const { d } = await personalizedDecision(user, p)

  t.same((await hit(d.impressionUrl)).json(), { counted: true })
  t.equal((await hit(d.clickUrl)).headers['x-attune-counted'], 'true')
  t.equal(await impressionsOf(user), 1, 'per-user impression kept (frequency caps)')
  const events = await eventsOf(d.decisionId)
  for (const e of events) {
    t.equal(interactionOf(e)?.userId, user, `${interactionOf(e)?.type}: the user's`)
    t.equal(e.subject, user)
  }
})
