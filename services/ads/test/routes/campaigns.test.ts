// Campaign management on real Postgres: CRUD of advertisers, campaigns, ads and placements, and
// bad input (negative budget, daily above total, end before start, unknown advertiser or
// placement, malformed context) answered 4xx problem+json naming the field.
import { asAdmin, asSite } from '@attune/kit/testing'
import t from 'tap'
import { startHarness } from '../support/harness.ts'

const h = await startHarness()
t.teardown(() => h.close())

const inject = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown, headers = asAdmin) =>
  h.app.inject({ method, url, headers, ...(payload ? { payload: payload as object } : {}) })

t.test('advertisers, campaigns, ads and placements: create, read, replace, delete', async (t) => {
  const advertiserId = await h.advertiser('Acme', ['IAB25'])
  const placementId = await h.placement()
  const created = await inject('POST', '/v1/campaigns', {
    advertiserId,
    name: 'Winter',
    totalBudget: 100,
    dailyBudget: 10,
    priceModel: 'cpc',
    price: 0.5,
    tier: 'sponsorship',
    targeting: { categories: ['IAB20'], languages: ['en'] },
    frequencyCap: { max: 2, windowSeconds: 3600 },
    placementIds: [placementId],
  })
  t.equal(created.statusCode, 201, created.body)
  const c = created.json()
  t.match(c, {
    advertiserId,
    name: 'Winter',
    totalBudget: 100,
    dailyBudget: 10,
    pacing: 'even',
    tier: 'sponsorship',
    status: 'active',
    spent: 0,
    placementIds: [placementId],
  })
  const ad = await inject('POST', `/v1/campaigns/${c.campaignId}/ads`, {
    title: 'Boots',
    clickUrl: 'https://shop.example.com/boots',
    format: 'banner-300x250',
    categories: ['IAB20'],
  })
  t.equal(ad.statusCode, 201, ad.body)
  t.same(
    (await inject('GET', `/v1/campaigns/${c.campaignId}/ads`)).json().ads.map((a: { title: string }) => a.title),
    ['Boots'],
  )
  const replaced = await inject('PUT', `/v1/campaigns/${c.campaignId}`, { advertiserId, name: 'Winter 2', totalBudget: 200, priceModel: 'cpm', price: 3 })
  t.equal(replaced.statusCode, 200, replaced.body)
  t.match(replaced.json(), { name: 'Winter 2', priceModel: 'cpm', price: 3, dailyBudget: null, frequencyCap: null })
  t.equal((await inject('GET', `/v1/campaigns?advertiserId=${advertiserId}`)).json().campaigns.length, 1)
  t.equal((await inject('PUT', `/v1/advertisers/${advertiserId}`, { name: 'Acme Co' })).json().name, 'Acme Co')
  t.equal((await inject('DELETE', `/v1/ads/${ad.json().adId}`)).statusCode, 204)
  t.equal((await inject('GET', `/v1/ads/${ad.json().adId}`)).statusCode, 404)
  t.equal((await inject('DELETE', `/v1/advertisers/${advertiserId}`)).statusCode, 204)
  t.equal((await inject('GET', `/v1/campaigns/${c.campaignId}`)).statusCode, 404, 'campaigns go with their advertiser')
  t.equal((await inject('GET', '/v1/campaigns', undefined, asSite)).statusCode, 403, 'management needs a secret key')
})

t.test('bad input is a 4xx problem naming the field', async (t) => {
  const advertiserId = await h.advertiser('Bad Input Co')
  const placementId = await h.placement()
  const base = { advertiserId, name: 'X', totalBudget: 10, priceModel: 'cpm', price: 1 }
  const cases: [string, string, unknown, string][] = [
    ['POST', '/v1/campaigns', { ...base, totalBudget: -5 }, '/totalBudget'],
    ['POST', '/v1/campaigns', { ...base, price: -1 }, '/price'],
    ['POST', '/v1/campaigns', { ...base, dailyBudget: 20 }, '/dailyBudget'],
    ['POST', '/v1/campaigns', { ...base, startAt: '2026-12-02T00:00:00Z', endAt: '2026-12-01T00:00:00Z' }, '/endAt'],
    ['POST', '/v1/campaigns', { ...base, advertiserId: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c42' }, '/advertiserId'],
    ['POST', '/v1/campaigns', { ...base, placementIds: ['0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c42'] }, '/placementIds/0'],
    ['POST', '/v1/campaigns', { ...base, tier: 'gold' }, '/tier'],
    ['POST', '/v1/campaigns', { ...base, targeting: { categories: ['sports'] } }, '/targeting/categories/0'],
    ['POST', '/v1/advertisers', { name: 'Y', blockedCategories: ['violence'] }, '/blockedCategories/0'],
    ['POST', '/v1/placements', { name: 'Z', zone: 'z', format: 'Banner 300' }, '/format'],
    ['POST', '/v1/decisions', { placements: [{ placementId: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c42' }] }, '/placements/0/placementId'],
    ['POST', '/v1/decisions', { placements: [{ placementId }], context: { url: 'not a url' } }, '/context/url'],
    ['POST', '/v1/decisions', { placements: [{ placementId }], context: { language: 'english!' } }, '/context/language'],
    ['POST', '/v1/decisions', { placements: [{ placementId }], context: { categories: ['IABX'] } }, '/context/categories/0'],
    ['POST', '/v1/decisions', { placements: [] }, '/placements'],
  ]
  for (const [method, url, payload, field] of cases) {
    const r = await inject(method as 'POST', url, payload)
    t.equal(r.statusCode, 400, `${url} ${JSON.stringify(payload)}: ${r.body}`)
    t.equal(r.headers['content-type'], 'application/problem+json; charset=utf-8')
    t.ok(
      (r.json().errors as { field: string }[]).some((e) => e.field === field),
      `names ${field}: ${r.body}`,
    )
  }
  const badToken = await inject('GET', '/v1/track/impression?token=eyJkIjoiYSJ9.forged-signature-000000000000')
  t.equal(badToken.statusCode, 400)
  t.equal(badToken.json().errors[0].field, '/token')
})
