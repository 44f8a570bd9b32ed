// The packed index on random catalogs: the scan visits exactly the ads a request's keys list,
// once each and best first, and wherever it vouches for an ad's targeting ("sure"), the full
// matcher agrees (same reasons, no placement list; blocked categories are packed for the caller).
import t from 'tap'
import { indexTier, requestKeys, scanCandidates } from '../../src/domain/ad-index.ts'
import type { LiveAd, LiveCampaign, LiveTargeting, UserSignals } from '../../src/domain/live.ts'
import { pageContext } from '../../src/domain/page.ts'
import { seededRng } from '../../src/domain/random.ts'
import { matchTargeting } from '../../src/domain/targeting.ts'

const rng = seededRng(9)
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)] as T
const some = <T>(xs: readonly T[], p: number): T[] => (rng() < p ? [pick(xs), pick(xs), pick(xs)].slice(0, 1 + Math.floor(rng() * 3)) : [])
const words = ['football', 'recipe', 'election', 'climate', 'travel', 'hotel', 'car']
const categories = ['IAB17', 'IAB8', 'IAB11', 'IAB15', 'IAB20', 'IAB2', 'IAB17-44']

function randomAd(i: number): LiveAd {
  const targeting: LiveTargeting = {
    keywords: some(words, 0.3),
    urlContains: some(['/sport/', '/food/'], 0.1),
    categories: some(categories, 0.3),
    segments: some(['s1', 's2'], 0.15),
    interests: some(['climate', 'cars'], 0.1),
    languages: some(['en', 'fr'], 0.15),
    countries: some(['GB', 'FR'], 0.1),
  }
  const campaign = {
    campaignId: `c${i}`,
    blockedCategories: rng() < 0.2 ? ['IAB25', 'IAB17'] : [],
    targeting,
    frequencyCap: null,
    placementIds: rng() < 0.1 ? new Set(['p1']) : null,
  } as unknown as LiveCampaign
  return { adId: `a${i}`, campaign, featureStats: new Map(), posterior: { a: 1, b: 99 } } as unknown as LiveAd
}

const pages = [
  pageContext({ text: 'The football team won the cup match and the coach praised the league', language: 'en', country: 'GB' }),
  pageContext({ text: 'A dinner recipe with wine and a chef', url: 'https://x.example/food/1', language: 'fr' }),
  pageContext({ keywords: ['Travel'], categories: ['IAB17-44'], text: 'hotel and beach holiday trip flights' }),
  pageContext({ text: 'car hotel travel climate election recipe football', categories: ['IAB2', 'IAB20'] }),
  pageContext(undefined),
]
const users: (UserSignals | undefined)[] = [undefined, { segments: new Set(['s1']), interests: new Set(['climate']), impressions: new Map() }]

t.test('the scan visits the listed ads once each, best first; sure reasons agree with the matcher', async (t) => {
  const ads = Array.from({ length: 400 }, (_, i) => randomAd(i))
  const index = indexTier(ads)
  let sureCount = 0
  for (const page of pages) {
    for (const user of users) {
      const keys = requestKeys(page, user)
      const visited: number[] = []
      scanCandidates(index, keys, (rank, sure) => {
        visited.push(rank)
        const ad = ads[rank] as LiveAd
        if (sure) {
          sureCount++
          const c = ad.campaign
          const r = matchTargeting(c.targeting, page, user)
          t.notOk(c.placementIds, `${ad.adId}: no placement list`)
          t.same(index.blockedLists[index.blockedId[rank] as number], c.blockedCategories, `${ad.adId}: its blocked categories`)
          t.equal(index.blockedId[rank] === 0, c.blockedCategories.length === 0, `${ad.adId}: 0 is none`)
          t.same(sure, r.ok ? r.reasons : null, `${ad.adId}: the same reasons as the matcher`)
        }
        return true
      })
      t.same(
        visited,
        [...new Set(visited)].sort((a, b) => a - b),
        'ascending, each once',
      )
      // Every ad that matches must have been visited (the index never hides a match).
      for (const [rank, ad] of ads.entries()) {
        if (matchTargeting(ad.campaign.targeting, page, user).ok && !visited.includes(rank)) t.fail(`${ad.adId} matches but was not visited`)
      }
    }
  }
  t.ok(sureCount > 20, `sure entries were exercised (${sureCount})`)
})

t.test('a scan stops when visit says so', async (t) => {
  const ads = Array.from({ length: 50 }, (_, i) => randomAd(i))
  const index = indexTier(ads)
  let n = 0
  scanCandidates(index, requestKeys(pages[0] as (typeof pages)[0], undefined), () => ++n < 3)
  t.equal(n, 3)
})
