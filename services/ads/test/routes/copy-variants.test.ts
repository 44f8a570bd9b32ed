// Personalized ad copy against the real generation service, run in process on its own database
// and reached over HTTP as in production: variants are requested for an ad and a segment, stay
// pending until generation's review queue decides, and only an approved one replaces the ad's body,
// only in personalized decisions for users in the segment; `why` says so. Also: bad input, the
// feature off without GENERATION_URL, and generation unreachable.
import { randomUUID } from 'node:crypto'
import { EventTypes } from '@attune/contracts'
import { generation } from '@attune/generation'
import { openDatabase } from '@attune/kit'
import { asAdmin, asSite, createTestDatabase, startTestService, TEST_SECRET_KEY, waitFor } from '@attune/kit/testing'
import t from 'tap'
import { ads } from '../../src/app.ts'
import { startHarness } from '../support/harness.ts'

const genPg = await createTestDatabase()
const genDatabase = await openDatabase(genPg.url)
const gen = await startTestService(generation, { database: genDatabase })
await gen.app.listen({ port: 0, host: '127.0.0.1' })
const address = gen.app.server.address()
const genUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`

const h = await startHarness({ GENERATION_URL: genUrl, GENERATION_API_KEY: TEST_SECRET_KEY, ADS_COPY_SYNC_MS: '500' })
t.teardown(async () => {
  await h.close()
  await gen.close()
  await genDatabase.close()
  await genPg.drop()
})

type Variant = { variantId: string; status: string; text: string; index: number; reviewId: string | null; note: string | null; generationId: string }
type Shown = { personalized: boolean; placements: { decision: { decisionId: string; ad: { adId: string; title: string; body: string } } | null }[] }

const requestCopy = (adId: string, payload: object) => h.app.inject({ method: 'POST', url: `/v1/ads/${adId}/copy-variants`, headers: asAdmin, payload })
const listCopy = async (adId: string, query = '') => {
  const r = await h.app.inject({ method: 'GET', url: `/v1/ads/${adId}/copy-variants${query}`, headers: asAdmin })
  return r.json().variants as Variant[]
}
const review = (reviewId: string, payload: object) =>
  gen.app.inject({ method: 'POST', url: `/v1/reviews/${reviewId}/decision`, headers: asAdmin, payload: { reviewer: 'editor-1', ...payload } })

async function setting() {
  const adv = await h.advertiser('Trail Outfitters')
  const format = `copy-${randomUUID().slice(0, 8)}`
  const placementId = await h.placement(format)
  const { adIds } = await h.campaign(adv, {}, ['Boots for every trail'], format)
  const adId = adIds[0] as string
  const decide = async (userKey: string) => {
    const r = await h.decide({ userKey, placements: [{ placementId }], context: { text: 'Weekend hiking routes' } }, asSite)
    return r.json() as Shown
  }
  return { adId, decide }
}

async function joinSegment(user: string, segmentId: string) {
  await h.publish('profiles', EventTypes.segmentMembershipChanged.type, user, { segmentId, userId: user, change: 'joined' })
  await waitFor(async () => (await h.db.selectFrom('adUsers').select('segments').where('userId', '=', user).executeTakeFirst())?.segments.includes(segmentId), {
    what: `${user} in the segment`,
  })
}

t.test('variants wait for review; the approved one replaces the body for users in the segment, with consent only', async (t) => {
  const { adId, decide } = await setting()
  const segment = randomUUID()
  const r = await requestCopy(adId, { segmentId: segment, audience: 'weekend hikers', n: 2 })
  t.equal(r.statusCode, 201, r.body)
  const variants = r.json().variants as Variant[]
  t.equal(variants.length, 2)
  t.ok(
    variants.every((v) => v.status === 'pending' && v.reviewId && v.text.length > 0),
    'pending until reviewed',
  )
  const reviewId = variants[0]?.reviewId as string
  t.ok(
    variants.every((v) => v.reviewId === reviewId),
    'one review item for the generation',
  )

  const fan = 'copy-fan'
  await h.setConsent(fan, 'granted')
  await joinSegment(fan, segment)
  const before = await decide(fan)
  t.equal(before.personalized, true)
  t.equal(before.placements[0]?.decision?.ad.body, '', 'a pending variant is never shown')

  const edited = 'Built for weekend hikers: boots that keep up on every trail.'
  const decided = await review(reviewId, { action: 'edit', variantIndex: 1, text: edited })
  t.equal(decided.statusCode, 200, decided.body)
  const after = await listCopy(adId)
  t.same(
    after.map((v) => [v.index, v.status]).sort(),
    [
      [0, 'rejected'],
      [1, 'approved'],
    ],
    'reading the variants asks generation for the outcome',
  )
  t.equal(after.find((v) => v.index === 1)?.text, edited, 'the reviewer’s edit is what serves')
  t.equal((await listCopy(adId, `?status=approved&segmentId=${segment}`)).length, 1)

  const shown = await decide(fan)
  const d = shown.placements[0]?.decision
  t.equal(d?.ad.body, edited, 'adapted copy for a consenting user in the segment')
  t.equal(d?.ad.title, 'Boots for every trail', 'the title stays the advertiser’s')
  const why = await h.app.inject({ method: 'GET', url: `/v1/decisions/${d?.decisionId}/why` })
  t.equal(why.statusCode, 200, why.body)
  t.equal(why.json().adaptedCopy?.segmentId, segment)
  t.equal(why.json().adaptedCopy?.audience, 'weekend hikers')
  t.match(why.json().explanation, `Its text was adapted for segment ${segment} (“weekend hikers”)`)

  const refuser = 'copy-refuser'
  await h.setConsent(refuser, 'denied')
  await joinSegment(refuser, segment)
  const plain = await decide(refuser)
  t.equal(plain.personalized, false)
  t.equal(plain.placements[0]?.decision?.ad.body, '', 'without ad-personalization consent: the original text')
  const plainWhy = await h.app.inject({ method: 'GET', url: `/v1/decisions/${plain.placements[0]?.decision?.decisionId}/why` })
  t.equal(plainWhy.json().adaptedCopy, null)
  t.notMatch(plainWhy.json().explanation, 'adapted')

  const outsider = 'copy-outsider'
  await h.setConsent(outsider, 'granted')
  t.equal((await decide(outsider)).placements[0]?.decision?.ad.body, '', 'consent but not in the segment: the original text')

  // The non-personalized switch wins over consent.
  await h.publish('profiles', EventTypes.preferencesUpdated.type, fan, {
    userId: fan,
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
  await waitFor(async () => (await decide(fan)).personalized === false, { what: 'switch mirrored' })
  t.equal((await decide(fan)).placements[0]?.decision?.ad.body, '', 'switch on: the original text')
})

t.test('a rejected review is recorded by the sync job and its variants never serve', async (t) => {
  const { adId, decide } = await setting()
  const segment = randomUUID()
  const user = 'copy-rejected'
  await h.setConsent(user, 'granted')
  await joinSegment(user, segment)
  const r = await requestCopy(adId, { segmentId: segment })
  t.equal(r.statusCode, 201, r.body)
  const variants = r.json().variants as Variant[]
  t.equal(variants.length, 3, 'n defaults to 3')
  t.equal((await review(variants[0]?.reviewId as string, { action: 'reject', note: 'off brand' })).statusCode, 200)
  // No read of the variants here: the periodic sync (ADS_COPY_SYNC_MS) finds the outcome.
  await waitFor(
    async () => {
      const rows = await h.db.selectFrom('copyVariants').select('status').where('adId', '=', adId).execute()
      return rows.length === 3 && rows.every((x) => x.status === 'rejected')
    },
    { what: 'rejection synced' },
  )
  t.equal((await decide(user)).placements[0]?.decision?.ad.body, '', 'rejected copy is never used')
  const approved = await requestCopy(adId, { segmentId: segment, n: 1 })
  const v = (approved.json().variants as Variant[])[0] as Variant
  t.equal((await review(v.reviewId as string, { action: 'approve', variantIndex: 0 })).statusCode, 200)
  const served = await waitFor(
    async () => {
      const body = (await decide(user)).placements[0]?.decision?.ad.body
      return body === v.text ? body : undefined
    },
    { what: 'approval synced into the catalog' },
  )
  t.equal(served, v.text, 'the approved variant as written by generation')
})

t.test('a change of the ad’s text retires the copy written from the old one', async (t) => {
  const { adId, decide } = await setting()
  const segment = randomUUID()
  const user = 'copy-retired'
  await h.setConsent(user, 'granted')
  await joinSegment(user, segment)
  const v = ((await requestCopy(adId, { segmentId: segment, n: 1 })).json().variants as Variant[])[0] as Variant
  t.equal((await review(v.reviewId as string, { action: 'approve', variantIndex: 0 })).statusCode, 200)
  await waitFor(async () => (await decide(user)).placements[0]?.decision?.ad.body === v.text, { what: 'approved copy served' })

  const ad = (await h.app.inject({ method: 'GET', url: `/v1/ads/${adId}`, headers: asAdmin })).json()
  const unchanged = await h.app.inject({
    method: 'PUT',
    url: `/v1/ads/${adId}`,
    headers: asAdmin,
    payload: { title: ad.title, body: ad.body, clickUrl: ad.clickUrl, format: ad.format, status: 'paused' },
  })
  t.equal(unchanged.statusCode, 200, unchanged.body)
  t.equal((await listCopy(adId, '?status=approved')).length, 1, 'a change that leaves the text alone keeps the copy')

  const put = await h.app.inject({
    method: 'PUT',
    url: `/v1/ads/${adId}`,
    headers: asAdmin,
    payload: { title: ad.title, body: 'Now 30% off, this week only.', clickUrl: ad.clickUrl, format: ad.format, status: 'active' },
  })
  t.equal(put.statusCode, 200, put.body)
  const after = await listCopy(adId)
  t.same(
    after.map((x) => [x.status, x.note]),
    [['rejected', 'the ad’s text changed after this variant was written']],
  )
  t.equal((await decide(user)).placements[0]?.decision?.ad.body, 'Now 30% off, this week only.', 'the new text serves, not the old copy')
})

t.test('bad input is a 4xx problem naming the field', async (t) => {
  const { adId } = await setting()
  const bad = async (payload: object, field: string, status = 400) => {
    const r = await requestCopy(adId, payload)
    t.equal(r.statusCode, status, r.body)
    t.match(r.headers['content-type'], 'application/problem+json')
    t.ok(
      (r.json().errors as { field: string }[]).some((e) => e.field === field),
      `names ${field}`,
    )
  }
  await bad({ segmentId: 'not-a-uuid' }, '/segmentId')
  await bad({}, '/segmentId')
  await bad({ segmentId: randomUUID(), n: 9 }, '/n')
  await bad({ segmentId: randomUUID(), audience: ' ' }, '/audience')
  await bad({ segmentId: randomUUID(), voiceId: randomUUID() }, '/voiceId')
  const missing = await requestCopy(randomUUID(), { segmentId: randomUUID() })
  t.equal(missing.statusCode, 404)
  const badId = await h.app.inject({ method: 'GET', url: '/v1/ads/nope/copy-variants', headers: asAdmin })
  t.equal(badId.statusCode, 400)
  t.equal(badId.json().errors[0].field, '/adId')
  const badQuery = await h.app.inject({ method: 'GET', url: `/v1/ads/${adId}/copy-variants?status=maybe`, headers: asAdmin })
  t.equal(badQuery.statusCode, 400)
  t.equal(badQuery.json().errors[0].field, '/status')
  const asPublic = await h.app.inject({ method: 'POST', url: `/v1/ads/${adId}/copy-variants`, headers: asSite, payload: { segmentId: randomUUID() } })
  t.equal(asPublic.statusCode, 403, 'a public key cannot have copy written')
})

t.test('without GENERATION_URL the feature says so; generation unreachable is a 503', async (t) => {
  const pg = await createTestDatabase()
  const database = await openDatabase(pg.url)
  t.teardown(async () => {
    await database.close()
    await pg.drop()
  })
  for (const [schema, env, detail] of [
    ['ads_off', {}, /not configured.*GENERATION_URL/],
    ['ads_down', { GENERATION_URL: 'http://127.0.0.1:9' }, /could not be reached/],
  ] as const) {
    const s = await startTestService(ads, { database, env: { DATABASE_SCHEMA: schema, ...env } })
    try {
      const adv = await s.app.inject({ method: 'POST', url: '/v1/advertisers', headers: asAdmin, payload: { name: 'Off Co' } })
      const campaign = await s.app.inject({
        method: 'POST',
        url: '/v1/campaigns',
        headers: asAdmin,
        payload: { advertiserId: adv.json().advertiserId, name: 'C', totalBudget: 10, priceModel: 'cpm', price: 1 },
      })
      const ad = await s.app.inject({
        method: 'POST',
        url: `/v1/campaigns/${campaign.json().campaignId}/ads`,
        headers: asAdmin,
        payload: { title: 'T', clickUrl: 'https://x.example.com', format: 'banner-300x250' },
      })
      const r = await s.app.inject({ method: 'POST', url: `/v1/ads/${ad.json().adId}/copy-variants`, headers: asAdmin, payload: { segmentId: randomUUID() } })
      t.equal(r.statusCode, 503, `${schema}: ${r.body}`)
      t.match(r.headers['content-type'], 'application/problem+json')
      t.match(r.json().detail, detail)
      const list = await s.app.inject({ method: 'GET', url: `/v1/ads/${ad.json().adId}/copy-variants`, headers: asAdmin })
      t.equal(list.statusCode, 200, 'listing still answers')
      t.same(list.json().variants, [])
    } finally {
      await s.close()
    }
  }
})
