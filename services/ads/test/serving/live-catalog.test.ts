// The catalog's packed index follows spend and counts applied after it was built (this replica's
// hits and other replicas' changes), so a campaign stops as soon as its budget is spent.
import t from 'tap'
import { decide } from '../../src/domain/decide.ts'
import { pageContext } from '../../src/domain/page.ts'
import { seededRng } from '../../src/domain/random.ts'
import { LiveCatalog } from '../../src/serving/live-catalog.ts'
import type { CatalogRows } from '../../src/store/catalog-store.ts'

const now = Date.UTC(2026, 10, 25, 12)

function rows(): CatalogRows {
  const campaign = (campaignId: string, price: number) => ({
    campaignId,
    advertiserId: 'adv',
    advertiserName: 'Adv',
    blockedCategories: [],
    name: campaignId,
    tier: 'standard' as const,
    priceModel: 'cpm' as const,
    price,
    pacing: 'asap' as const,
    totalBudget: 100,
    dailyBudget: 1,
    spent: 0,
    spentToday: null,
    startAt: new Date(now - 86_400_000),
    endAt: null,
    targeting: {},
    frequencyCap: null,
    placementIds: [],
  })
  const ad = (adId: string, campaignId: string) => ({
    adId,
    campaignId,
    title: adId,
    body: '',
    imageUrl: null,
    clickUrl: 'https://x',
    format: 'f',
    categories: [],
  })
  return {
    campaigns: [campaign('rich', 50), campaign('cheap', 1)],
    ads: [ad('a-rich', 'rich'), ad('a-cheap', 'cheap')],
    stats: [],
    copies: [],
  } as unknown as CatalogRows
}

const choose = (catalog: LiveCatalog) =>
  decide(
    { placements: [{ placementId: 'p', format: 'f' }], adsFor: (f) => catalog.adsFor(f), page: pageContext(undefined), user: undefined, now },
    seededRng(1),
  )[0]?.ad.adId

t.test('a hit that spends the daily budget stops the campaign at once', async (t) => {
  const catalog = new LiveCatalog(rows(), { mean: 0.01, strength: 50 })
  t.equal(choose(catalog), 'a-rich', 'the higher bid wins')
  catalog.applyHit('a-rich', 'rich', '', 'impression', 1)
  t.equal(choose(catalog), 'a-cheap', 'its daily budget is spent')
})

t.test("another replica's spend and counts apply too", async (t) => {
  const catalog = new LiveCatalog(rows(), { mean: 0.01, strength: 50 })
  catalog.applyChanges({ now: new Date(now), spend: [{ campaignId: 'rich', spent: 1, today: 1 }], stats: [] })
  t.equal(choose(catalog), 'a-cheap', 'spent elsewhere')
  // Counts: the cheap ad's posterior moves to a CTR 50 times its bid gap, so it wins on value.
  const fresh = new LiveCatalog(rows(), { mean: 0.01, strength: 50 })
  fresh.applyChanges({ now: new Date(now), spend: [], stats: [{ adId: 'a-cheap', feature: '', impressions: 100_000, clicks: 90_000 }] })
  t.equal(choose(fresh), 'a-cheap', 'its counts reached the index')
})
