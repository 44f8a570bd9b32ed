import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { AdsDb } from '../src/db.ts'
import type { Rng } from '../src/domain/random.ts'

export const formats = ['banner-300x250', 'native', 'leaderboard-728x90'] as const
const categories = ['IAB1', 'IAB2', 'IAB3', 'IAB7', 'IAB8', 'IAB11', 'IAB13', 'IAB15', 'IAB17', 'IAB19', 'IAB20', 'IAB22']
const keywords = ['football', 'recipe', 'election', 'climate', 'travel', 'hotel', 'car', 'software', 'fitness', 'movie', 'mortgage', 'fashion']

/** `n` running campaigns (one ad each) over 100 advertisers, mixed tiers, prices and targeting, with some history; placements per format. */
export async function seedCatalog(db: Kysely<AdsDb>, n: number, rng: Rng, segments: string[]) {
  const now = new Date()
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rng() * xs.length)] as T
  const advertisers = Array.from({ length: 100 }, (_, i) => ({
    advertiserId: randomUUID(),
    name: `Advertiser ${i}`,
    blockedCategories: i % 4 === 0 ? ['IAB25', 'IAB26'] : [],
    createdAt: now,
    updatedAt: now,
  }))
  await db.insertInto('advertisers').values(advertisers).execute()
  const campaigns = []
  const ads = []
  const stats = []
  for (let i = 0; i < n; i++) {
    const campaignId = randomUUID()
    const r = rng()
    const tier = r < 0.02 ? 'sponsorship' : r < 0.9 ? 'standard' : 'house'
    const t = rng()
    const targeting =
      t < 0.3
        ? {}
        : t < 0.6
          ? { categories: [pick(categories)] }
          : t < 0.85
            ? { keywords: [pick(keywords), pick(keywords)] }
            : t < 0.95
              ? { segments: [pick(segments)], languages: ['en'] }
              : { countries: ['GB', 'FR'], categories: [pick(categories)] }
    campaigns.push({
      campaignId,
      advertiserId: pick(advertisers).advertiserId,
      name: `Campaign ${i}`,
      status: 'active' as const,
      startAt: new Date(now.getTime() - 86_400_000),
      endAt: null,
      totalBudget: 1e7,
      dailyBudget: 1e6,
      pacing: rng() < 0.5 ? ('even' as const) : ('asap' as const),
      tier: tier as 'sponsorship' | 'standard' | 'house',
      priceModel: rng() < 0.5 ? ('cpm' as const) : ('cpc' as const),
      price: tier === 'house' ? 0 : Math.round((0.2 + rng() * 5) * 100) / 100,
      targeting: JSON.stringify(targeting),
      frequencyCap: rng() < 0.3 ? JSON.stringify({ max: 3, windowSeconds: 86400 }) : null,
      placementIds: [],
      createdAt: now,
      updatedAt: now,
    })
    const adId = randomUUID()
    ads.push({
      adId,
      campaignId,
      title: `Ad ${i}`,
      body: 'Synthetic ad for the benchmark.',
      imageUrl: null,
      clickUrl: `https://advertiser.example.com/${i}`,
      format: formats[i % formats.length] as string,
      categories: [],
      status: 'active' as const,
      createdAt: now,
      updatedAt: now,
    })
    const impressions = Math.floor(rng() * 5000)
    stats.push({ adId, feature: '', impressions, clicks: Math.floor(impressions * rng() * 0.05) })
  }
  for (let i = 0; i < n; i += 1000) {
    await db
      .insertInto('campaigns')
      .values(campaigns.slice(i, i + 1000))
      .execute()
    await db
      .insertInto('ads')
      .values(ads.slice(i, i + 1000))
      .execute()
    await db
      .insertInto('adStats')
      .values(stats.slice(i, i + 1000))
      .execute()
  }
  const placements = formats.map((format) => ({ placementId: randomUUID(), name: format, zone: format, format, createdAt: now }))
  await db.insertInto('placements').values(placements).execute()
  return placements.map((p) => p.placementId)
}

/** Users: half with ad-personalization consent and a segment or two. */
export async function seedUsers(db: Kysely<AdsDb>, n: number, rng: Rng, segments: string[]) {
  const now = new Date()
  const rows = Array.from({ length: n }, (_, i) => ({
    userId: `user-${i}`,
    adConsent: i % 2 === 0 ? 'granted' : 'denied',
    nonPersonalized: false,
    interests: [],
    segments: [segments[Math.floor(rng() * segments.length)] as string],
    updatedAt: now,
  }))
  for (let i = 0; i < n; i += 1000)
    await db
      .insertInto('adUsers')
      .values(rows.slice(i, i + 1000))
      .execute()
}
