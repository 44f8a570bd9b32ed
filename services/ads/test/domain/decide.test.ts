// The pure decision rules on hand-made catalogs: tiers, caps, pacing, audience only when
// personalized, the Thompson sampler's propensities and the taxonomy's inference.
import t from 'tap'
import { indexByTier } from '../../src/domain/ad-index.ts'
import { decide } from '../../src/domain/decide.ts'
import type { LiveAd, LiveCampaign, UserSignals } from '../../src/domain/live.ts'
import { canServe, dailyAllowance } from '../../src/domain/pacing.ts'
import { pageContext } from '../../src/domain/page.ts'
import { seededRng } from '../../src/domain/random.ts'
import { inferFromText } from '../../src/domain/taxonomy.ts'
import { adPosterior, thompsonChoose } from '../../src/domain/thompson.ts'

const DAY = 86_400_000
const noon = Date.UTC(2026, 10, 25, 12)
const prior = { mean: 0.01, strength: 50 }

function campaign(over: Partial<LiveCampaign> = {}): LiveCampaign {
  return {
    campaignId: over.campaignId ?? 'c',
    advertiserId: 'adv',
    advertiserName: 'Adv',
    blockedCategories: [],
    name: 'c',
    tier: 'standard',
    priceModel: 'cpm',
    price: 2,
    pacing: 'asap',
    totalBudget: 100,
    dailyBudget: null,
    spent: 0,
    spentToday: 0,
    startAt: 0,
    endAt: null,
    targeting: { keywords: [], urlContains: [], categories: [], segments: [], interests: [], languages: [], countries: [] },
    frequencyCap: null,
    placementIds: null,
    ...over,
  }
}

function ad(adId: string, c: LiveCampaign, counts = { impressions: 0, clicks: 0 }): LiveAd {
  const posterior = adPosterior(prior, counts)
  return {
    adId,
    campaign: c,
    title: adId,
    body: '',
    imageUrl: null,
    clickUrl: 'https://x',
    format: 'f',
    categories: [],
    stats: counts,
    featureStats: new Map(),
    posterior,
    bound: 0,
    copies: undefined,
  }
}

const run = (ads: LiveAd[], user: UserSignals | undefined, page = pageContext(undefined), now = noon, n = 1) =>
  decide(
    {
      placements: Array.from({ length: n }, (_, i) => ({ placementId: `p${i}`, format: 'f' })),
      adsFor: () =>
        indexByTier({
          sponsorship: ads.filter((a) => a.campaign.tier === 'sponsorship'),
          standard: ads.filter((a) => a.campaign.tier === 'standard'),
          house: ads.filter((a) => a.campaign.tier === 'house'),
        }),
      page,
      user,
      now,
    },
    seededRng(1),
  )

t.test('audience targeting needs a personalized decision; caps apply per user', async (t) => {
  const aud = campaign({ campaignId: 'aud', targeting: { ...campaign().targeting, segments: ['s1'] }, frequencyCap: { max: 1, windowSeconds: 3600 } })
  const ads = [ad('a', aud)]
  t.equal(run(ads, undefined)[0], undefined, 'no user: no audience ad')
  const user = { segments: new Set(['s1']), interests: new Set<string>(), impressions: new Map<string, number[]>() }
  t.equal(run(ads, user)[0]?.ad.adId, 'a')
  t.same(run(ads, user)[0]?.reasons, [{ kind: 'segment', value: 's1' }])
  const seen = { ...user, impressions: new Map([['aud', [noon - 60_000]]]) }
  t.equal(run(ads, seen)[0], undefined, 'capped within the window')
  const longAgo = { ...user, impressions: new Map([['aud', [noon - 7200_000]]]) }
  t.equal(run(ads, longAgo)[0]?.ad.adId, 'a', 'the window has passed')
})

t.test('tiers, and no ad twice', async (t) => {
  const ads = [
    ad('house', campaign({ campaignId: 'h', tier: 'house', price: 0 })),
    ad('std', campaign({ campaignId: 's', price: 100 })),
    ad('sp', campaign({ campaignId: 'sp', tier: 'sponsorship', price: 1 })),
  ]
  t.same(
    run(ads, undefined, undefined, noon, 4).map((c) => c?.ad.adId),
    ['sp', 'std', 'house', undefined],
  )
})

t.test('even pacing follows the clock; budgets stop a campaign', async (t) => {
  const c = campaign({ pacing: 'even', dailyBudget: 10, totalBudget: 100 })
  t.ok(canServe({ ...c, spentToday: 4.9 }, noon), 'below half at noon')
  t.notOk(canServe({ ...c, spentToday: 5.2 }, noon), 'ahead of the line at noon')
  t.notOk(canServe({ ...c, spent: 100, spentToday: 1 }, noon), 'total spent')
  t.notOk(canServe({ ...c, pacing: 'asap', spentToday: 10 }, noon), 'daily spent')
  t.ok(canServe({ ...c, pacing: 'asap', spentToday: 9.9 }, noon))
  t.notOk(canServe({ ...c, startAt: noon + 1 }, noon), 'not started')
  t.notOk(canServe({ ...c, endAt: noon }, noon), 'ended')
  const spread = campaign({ totalBudget: 100, endAt: Date.UTC(2026, 10, 25) + 10 * DAY })
  t.equal(dailyAllowance(spread, noon), 10, 'no daily budget: the rest spread over the days left')
})

t.test('Thompson sampling prefers the better posterior, with honest propensities', async (t) => {
  const rng = seededRng(3)
  const good = adPosterior(prior, { impressions: 1000, clicks: 100 })
  const bad = adPosterior(prior, { impressions: 1000, clicks: 20 })
  let wins = 0
  for (let i = 0; i < 200; i++) if (thompsonChoose(rng, [good, bad], [1, 1], 8).index === 0) wins++
  t.ok(wins > 195, `good wins ${wins}/200`)
  const same = adPosterior(prior, { impressions: 0, clicks: 0 })
  const pick = thompsonChoose(seededRng(5), [same, same], [1, 1], 400)
  t.ok(Math.abs(pick.propensity - 0.5) < 0.08, `equal posteriors: propensity ${pick.propensity}`)
  t.equal(thompsonChoose(rng, [same], [1], 10).propensity, 1, 'a single candidate is certain')
})

t.test('categories are inferred from page text, brand-safety ones from one word', async (t) => {
  t.same(
    inferFromText('The football team lost the cup match').map((c) => c.category),
    ['IAB17'],
  )
  t.same(
    inferFromText('A shooting downtown').map((c) => c.category),
    ['IAB25-2'],
  )
  t.same(inferFromText('Just one word: football'), [], 'one ordinary word is not enough')
})

t.test('interests, URL and keyword targeting name what matched', async (t) => {
  const base = campaign().targeting
  const byInterest = ad('i', campaign({ campaignId: 'i', targeting: { ...base, interests: ['climate'] } }))
  const byUrl = ad('u', campaign({ campaignId: 'u', targeting: { ...base, urlContains: ['/travel/'] } }))
  const user = { segments: new Set<string>(), interests: new Set(['climate']), impressions: new Map<string, number[]>() }
  t.same(run([byInterest], user)[0]?.reasons, [{ kind: 'interest', value: 'climate' }])
  t.equal(run([byInterest], undefined)[0], undefined, 'interests are audience: not without personalization')
  const travelPage = pageContext({ url: 'https://news.example.com/travel/lisbon' })
  t.same(run([byUrl], undefined, travelPage)[0]?.reasons, [{ kind: 'url', value: '/travel/' }])
  t.equal(run([byUrl], undefined, pageContext({ url: 'https://news.example.com/sport/x' }))[0], undefined)
})

t.test('brand safety applies to run-of-site, keyword and category campaigns alike', async (t) => {
  const base = campaign().targeting
  const blocked = ['IAB25']
  const ads = [
    ad('ros', campaign({ campaignId: 'ros', blockedCategories: blocked, price: 3 })),
    ad('kw', campaign({ campaignId: 'kw', blockedCategories: blocked, price: 2, targeting: { ...base, keywords: ['football'] } })),
    ad('cat', campaign({ campaignId: 'cat', blockedCategories: blocked, price: 1, targeting: { ...base, categories: ['IAB17'] } })),
  ]
  const safe = pageContext({ text: 'The football team won the cup match; the coach praised every player.' })
  const unsafe = pageContext({ text: 'Football match: the team player was killed in a shooting after the cup, the coach said' })
  t.same(
    run(ads, undefined, safe, noon, 3).map((c) => c?.reasons),
    [[{ kind: 'untargeted', value: 'run of site' }], [{ kind: 'keyword', value: 'football' }], [{ kind: 'inferred_category', value: 'IAB17' }]],
  )
  t.same(
    run(ads, undefined, unsafe, noon, 3).map((c) => c?.ad.adId),
    [undefined, undefined, undefined],
    'none on a page the advertiser blocks',
  )
})
