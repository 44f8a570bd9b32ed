// Embedded mode: the ads service on PGlite (in-process Postgres) with the in-memory bus, the demo
// seed, then a decision on a sport page, its impression and click, and `why`.
import { openDatabase } from '@attune/kit'
import { asAdmin, asSite, startTestService, TEST_SECRET_KEY, waitFor } from '@attune/kit/testing'
import t from 'tap'
import { ads } from '../../src/app.ts'
import { demoAds } from '../../src/demo.ts'
import { decisionsInBatches } from '../../src/store/decisions-store.ts'

const database = await openDatabase('memory://')
const service = await startTestService(ads, { database, env: { ADS_MIN_CLICK_MS: '0', ADS_PUBLIC_URL: 'http://localhost:3000/ads' } })
t.teardown(async () => {
  await service.close()
  await database.close()
})

t.test('the demo serves decisions on PGlite', async (t) => {
  const { placementIds } = await demoAds(service as never, TEST_SECRET_KEY)
  t.equal(placementIds.length, 2)
  const r = await service.app.inject({
    method: 'POST',
    url: '/v1/decisions',
    headers: asSite,
    payload: {
      userKey: 'user-0001',
      placements: placementIds.map((placementId) => ({ placementId })),
      context: { text: 'Cup final: the team and the coach after the football match', language: 'en' },
    },
  })
  t.equal(r.statusCode, 200, r.body)
  const [sidebar, feed] = r.json().placements
  t.match(sidebar.decision, { ad: { title: 'Boots built for the terraces' }, personalized: false }, 'the sport sponsorship on a sport page')
  t.ok(feed.decision, 'the feed gets an ad too')
  t.match(sidebar.decision.impressionUrl, /^http:\/\/localhost:3000\/ads\/v1\/track\/impression\?token=/)
  const path = (u: string) => u.replace('http://localhost:3000/ads', '')
  const imp = await service.app.inject({ url: path(sidebar.decision.impressionUrl), headers: { 'user-agent': 'Mozilla/5.0' } })
  t.same(imp.json(), { counted: true })
  const click = await service.app.inject({ url: path(sidebar.decision.clickUrl), headers: { 'user-agent': 'Mozilla/5.0' } })
  t.equal(click.statusCode, 302)
  const why = await service.app.inject({ url: `/v1/decisions/${sidebar.decision.decisionId}/why` })
  t.match(why.json().explanation, /Northwind Outdoor[\s\S]*Sports \(IAB17\)/)
  const logged = await waitFor(async () => {
    const rows = decisionsInBatches(await service.context.db.selectFrom('decisionBatches').select('requests').execute())
    return rows.length === 2 ? rows : undefined
  })
  t.same(
    logged.find((d) => d.decisionId === sidebar.decision.decisionId)?.reasons,
    [{ kind: 'inferred_category', value: 'IAB17' }],
    'the decision log is written behind',
  )
  t.equal(logged[0]?.userId, null, 'not personalized: no user in the log')
  const report = await service.app.inject({ url: '/v1/reports?groupBy=ad', headers: asAdmin })
  t.match(report.json().rows, [{ impressions: 1, clicks: 1, spend: 0.008 }])
})
