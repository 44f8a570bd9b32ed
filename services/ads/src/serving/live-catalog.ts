import type { Tier } from '../db.ts'
import { type AdsByTier, indexByTier, type TierIndex } from '../domain/ad-index.ts'
import { writeAdState } from '../domain/ad-state.ts'
import type { LiveAd, LiveCampaign, LiveCopy, LiveTargeting } from '../domain/live.ts'
import { tierOrder } from '../domain/live.ts'
import { targetingDims } from '../domain/targeting.ts'
import { adPosterior, type Counts, optimistic, type Prior } from '../domain/thompson.ts'
import { bidWeight } from '../domain/value.ts'
import type { CatalogChanges, CatalogRows } from '../store/catalog-store.ts'

const lower = (xs: readonly string[] | undefined) => (xs ?? []).map((x) => x.toLowerCase())

function liveTargeting(t: Record<string, string[] | undefined>): LiveTargeting {
  const live: LiveTargeting = {
    keywords: lower(t.keywords),
    urlContains: lower(t.urlContains),
    categories: t.categories ?? [],
    segments: t.segments ?? [],
    interests: lower(t.interests),
    languages: lower(t.languages),
    countries: (t.countries ?? []).map((c) => c.toUpperCase()),
    dims: 0,
  }
  live.dims = targetingDims(live)
  return live
}

/** An immutable-by-shape index of what can serve, built from catalog rows: ads by format and tier, best optimistic value first. */
export class LiveCatalog {
  readonly campaigns = new Map<string, LiveCampaign>()
  readonly ads = new Map<string, LiveAd>()
  private readonly byFormat = new Map<string, AdsByTier>()
  /** Where each ad sits in the index, whose packed copy of its state must follow its changes. */
  private readonly places = new Map<LiveAd, { index: TierIndex; rank: number }>()
  private readonly adsOf = new Map<string, LiveAd[]>()
  /** Every keyword a campaign targets (see DecideInput.vocabulary). */
  readonly vocabulary = new Set<string>()
  private readonly prior: Prior

  constructor(rows: CatalogRows, prior: Prior) {
    this.prior = prior
    for (const r of rows.campaigns) {
      for (const k of (r.targeting as { keywords?: string[] }).keywords ?? []) this.vocabulary.add(k.toLowerCase())
      this.campaigns.set(r.campaignId, {
        campaignId: r.campaignId,
        advertiserId: r.advertiserId,
        advertiserName: r.advertiserName,
        blockedCategories: r.blockedCategories,
        name: r.name,
        tier: r.tier,
        priceModel: r.priceModel,
        price: r.price,
        pacing: r.pacing,
        totalBudget: r.totalBudget,
        dailyBudget: r.dailyBudget,
        spent: r.spent,
        spentToday: r.spentToday ?? 0,
        startAt: r.startAt.getTime(),
        endAt: r.endAt?.getTime() ?? null,
        targeting: liveTargeting(r.targeting as Record<string, string[] | undefined>),
        frequencyCap: r.frequencyCap,
        placementIds: r.placementIds.length > 0 ? new Set(r.placementIds) : null,
      })
    }
    const stats = new Map<string, Map<string, Counts>>()
    for (const s of rows.stats) {
      const m = stats.get(s.adId) ?? new Map<string, Counts>()
      if (m.size === 0) stats.set(s.adId, m)
      m.set(s.feature, { impressions: s.impressions, clicks: s.clicks })
    }
    const copies = new Map<string, Map<string, LiveCopy>>()
    for (const c of rows.copies) {
      const m = copies.get(c.adId) ?? new Map<string, LiveCopy>()
      if (m.size === 0) copies.set(c.adId, m)
      m.set(c.segmentId, { variantId: c.variantId, segmentId: c.segmentId, text: c.text, audience: c.audience })
    }
    const lists = new Map<string, Record<Tier, LiveAd[]>>()
    for (const r of rows.ads) {
      const campaign = this.campaigns.get(r.campaignId)
      if (!campaign) continue
      const m = stats.get(r.adId) ?? new Map<string, Counts>()
      const overall = m.get('') ?? { impressions: 0, clicks: 0 }
      m.delete('')
      const posterior = adPosterior(prior, overall)
      const ad: LiveAd = {
        adId: r.adId,
        campaign,
        title: r.title,
        body: r.body,
        imageUrl: r.imageUrl,
        clickUrl: r.clickUrl,
        format: r.format,
        categories: r.categories,
        stats: overall,
        featureStats: m,
        posterior,
        bound: bidWeight(campaign, prior.mean) * optimistic(posterior),
        copies: copies.get(r.adId),
      }
      this.ads.set(ad.adId, ad)
      const siblings = this.adsOf.get(campaign.campaignId)
      if (siblings) siblings.push(ad)
      else this.adsOf.set(campaign.campaignId, [ad])
      const byTier = lists.get(r.format) ?? { sponsorship: [], standard: [], house: [] }
      if (!lists.has(r.format)) lists.set(r.format, byTier)
      byTier[campaign.tier].push(ad)
    }
    for (const [format, byTier] of lists) {
      for (const t of tierOrder) byTier[t].sort((a, b) => b.bound - a.bound)
      const indexed = indexByTier(byTier)
      this.byFormat.set(format, indexed)
      for (const t of tierOrder) {
        const index = indexed[t]
        for (const [rank, ad] of index.all.entries()) this.places.set(ad, { index, rank })
      }
    }
  }

  /** Copies an ad's changed spend or counts into the index. */
  private sync(ad: LiveAd): void {
    const place = this.places.get(ad)
    if (place) writeAdState(place.index.state, place.rank, ad)
  }

  private syncCampaign(campaignId: string): void {
    for (const ad of this.adsOf.get(campaignId) ?? []) this.sync(ad)
  }

  adsFor(format: string): AdsByTier | undefined {
    return this.byFormat.get(format)
  }

  /**
   * Applies spend and counts other replicas (and this one) committed: absolute values, so applying
   * a row twice is harmless. The order within a tier is left as it was (next full reload).
   */
  applyChanges(changes: CatalogChanges): void {
    for (const s of changes.spend) {
      const c = this.campaigns.get(s.campaignId)
      if (!c) continue
      c.spent = Math.max(c.spent, s.spent)
      c.spentToday = Math.max(c.spentToday, s.today)
      this.syncCampaign(c.campaignId)
    }
    for (const s of changes.stats) {
      const ad = this.ads.get(s.adId)
      if (!ad) continue
      const counts = { impressions: s.impressions, clicks: s.clicks }
      if (s.feature === '') {
        if (counts.impressions < ad.stats.impressions) continue
        ad.stats = counts
        ad.posterior = adPosterior(this.prior, counts)
      } else ad.featureStats.set(s.feature, counts)
      this.sync(ad)
    }
  }

  /** Applies this replica's own charge and counts at once (the next reload brings everyone's). */
  applyHit(adId: string, campaignId: string, feature: string, kind: 'impression' | 'click', charged: number): void {
    const c = this.campaigns.get(campaignId)
    if (c) {
      c.spent += charged
      c.spentToday += charged
      this.syncCampaign(campaignId)
    }
    const ad = this.ads.get(adId)
    if (!ad) return
    const imp = kind === 'impression' ? 1 : 0
    const clk = kind === 'click' ? 1 : 0
    ad.stats = { impressions: ad.stats.impressions + imp, clicks: ad.stats.clicks + clk }
    ad.posterior = adPosterior(this.prior, ad.stats)
    if (feature) {
      const f = ad.featureStats.get(feature) ?? { impressions: 0, clicks: 0 }
      ad.featureStats.set(feature, { impressions: f.impressions + imp, clicks: f.clicks + clk })
    }
    this.sync(ad)
  }
}
