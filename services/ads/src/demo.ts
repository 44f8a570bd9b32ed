import type { KitTables, Service } from '@attune/kit'

/**
 * Demo advertisers, placements and campaigns for embedded mode (first start only), so
 * `POST /ads/v1/decisions` answers on the demo pages: a sport sponsorship, a travel campaign,
 * a CPC technology campaign for an audience-free context, and a house ad as the fallback.
 */
export async function demoAds(service: Service<KitTables>, adminKey: string): Promise<{ placementIds: string[] }> {
  const headers = { authorization: `Bearer ${adminKey}` }
  const post = async (url: string, payload: object) => {
    const r = await service.app.inject({ method: 'POST', url, headers, payload })
    if (r.statusCode !== 201) throw new Error(`demo ${url} rejected: ${r.statusCode} ${r.body}`)
    return r.json() as Record<string, string>
  }
  const sidebar = await post('/v1/placements', { name: 'Article sidebar', zone: 'article-sidebar', format: 'banner-300x250' })
  const feed = await post('/v1/placements', { name: 'Feed native', zone: 'home-feed', format: 'native' })
  const outdoor = await post('/v1/advertisers', { name: 'Northwind Outdoor', blockedCategories: ['IAB25', 'IAB26'] })
  const tech = await post('/v1/advertisers', { name: 'Contoso Devices', blockedCategories: ['IAB25', 'IAB26', 'IAB11'] })
  const house = await post('/v1/advertisers', { name: 'Attune Daily (house)' })
  const campaigns = [
    {
      advertiserId: outdoor.advertiserId,
      name: 'Match day sponsorship',
      tier: 'sponsorship',
      priceModel: 'cpm',
      price: 8,
      totalBudget: 500,
      dailyBudget: 50,
      targeting: { categories: ['IAB17'] },
      ads: [{ title: 'Boots built for the terraces', body: 'Waterproof, light, and 20% off on match day.', format: 'banner-300x250', categories: ['IAB17'] }],
    },
    {
      advertiserId: outdoor.advertiserId,
      name: 'Weekend escapes',
      priceModel: 'cpm',
      price: 3,
      totalBudget: 300,
      targeting: { categories: ['IAB20', 'IAB15'] },
      frequencyCap: { max: 3, windowSeconds: 86400 },
      ads: [
        { title: 'Trails for every weekend', body: 'Tents, packs and maps for your next trip.', format: 'banner-300x250', categories: ['IAB20'] },
        { title: 'Pack light, go far', body: 'Ultralight gear for long walks.', format: 'native', categories: ['IAB20'] },
      ],
    },
    {
      advertiserId: tech.advertiserId,
      name: 'New laptop launch',
      priceModel: 'cpc',
      price: 0.6,
      totalBudget: 200,
      pacing: 'asap',
      ads: [
        { title: 'The laptop that lasts all day', body: '20 hours of battery, 1 kg.', format: 'banner-300x250', categories: ['IAB19'] },
        { title: 'Work from anywhere', body: 'A laptop as light as a notebook.', format: 'native', categories: ['IAB19'] },
      ],
    },
    {
      advertiserId: house.advertiserId,
      name: 'Newsletter',
      tier: 'house',
      priceModel: 'cpm',
      price: 0,
      totalBudget: 0,
      ads: [
        { title: 'Get the morning briefing', body: 'Our best stories in your inbox at 7.', format: 'banner-300x250' },
        { title: 'Never miss a story', body: 'The Attune Daily newsletter, free.', format: 'native' },
      ],
    },
  ]
  for (const { ads, ...campaign } of campaigns) {
    const c = await post('/v1/campaigns', campaign)
    for (const ad of ads) await post(`/v1/campaigns/${c.campaignId}/ads`, { ...ad, clickUrl: 'https://example.com/demo-ad' })
  }
  return { placementIds: [sidebar.placementId as string, feed.placementId as string] }
}
