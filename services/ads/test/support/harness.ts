// One ads service per test file on real Postgres and a Kafka peer, with a watcher of the topics it
// publishes and a publisher for the ones it consumes, plus helpers to make campaigns.
import { type AnyEvent, EventTypes } from '@attune/contracts'
import { KafkaBus, makeEvent, openDatabase } from '@attune/kit'
import { asAdmin, createTestDatabase, kafkaForTests, startTestService, uniqueTopicPrefix, waitFor } from '@attune/kit/testing'
import pino from 'pino'
import { ads } from '../../src/app.ts'

export async function startHarness(env: Record<string, string> = {}, clock?: () => Date) {
  const pg = await createTestDatabase()
  const kafka = await kafkaForTests()
  const database = await openDatabase(pg.url)
  const prefix = uniqueTopicPrefix()
  const log = pino({ level: 'silent' })
  const newBus = (clientId: string) => new KafkaBus({ brokers: kafka.brokers.split(','), clientId, log, fetchMaxWaitMs: 20 })
  const service = await startTestService(ads, {
    database,
    bus: newBus('ads'),
    env: { KAFKA_TOPIC_PREFIX: prefix, ADS_MIN_CLICK_MS: '0', ...env },
    ...(clock ? { clock } : {}),
  })
  const seen: AnyEvent[] = []
  const watcher = newBus('watcher')
  const watch = await watcher.subscribe({
    groupId: `${prefix}.watcher`,
    topics: [`${prefix}.interactions`, `${prefix}.privacy`],
    handleBatch: async (messages) => {
      for (const m of messages) seen.push(JSON.parse(m.value) as AnyEvent)
    },
  })
  const publisher = newBus('publisher')
  const app = service.app
  const db = service.context.db
  const post = async (url: string, payload: unknown) => {
    const r = await app.inject({ method: 'POST', url, headers: asAdmin, payload: payload as object })
    if (r.statusCode !== 201) throw new Error(`${url}: ${r.statusCode} ${r.body}`)
    return r.json()
  }
  return {
    app,
    db,
    seen,
    service,
    async publish(topic: string, type: string, subject: string, data: unknown) {
      const event = makeEvent({ type, source: 'test', subject, data }, new Date())
      await publisher.publish([{ topic: `${prefix}.${topic}`, key: subject, value: JSON.stringify(event) }])
      return event
    },
    async advertiser(name: string, blockedCategories: string[] = []): Promise<string> {
      return (await post('/v1/advertisers', { name, blockedCategories })).advertiserId
    },
    async placement(format = 'banner-300x250', zone = 'sidebar'): Promise<string> {
      return (await post('/v1/placements', { name: zone, zone, format })).placementId
    },
    /** A campaign with one ad per title; returns their ids. */
    async campaign(advertiserId: string, over: Record<string, unknown>, titles: string[] = ['Ad'], format = 'banner-300x250') {
      const c = await post('/v1/campaigns', {
        advertiserId,
        name: 'Campaign',
        totalBudget: 1000,
        priceModel: 'cpm',
        price: 2,
        pacing: 'asap',
        ...over,
      })
      const adIds: string[] = []
      for (const title of titles) adIds.push((await post(`/v1/campaigns/${c.campaignId}/ads`, { title, clickUrl: 'https://shop.example.com/x', format })).adId)
      return { campaignId: c.campaignId as string, adIds }
    },
    async decide(payload: unknown, headers: Record<string, string> = asAdmin) {
      return app.inject({ method: 'POST', url: '/v1/decisions', headers, payload: payload as object })
    },
    /** Sends consent.changed with the given ad-personalization state and waits until it is mirrored. */
    async setConsent(userId: string, state: 'granted' | 'denied') {
      const unknown = { state: 'unknown', at: null, expiresAt: null, source: null }
      const at = new Date().toISOString()
      const purpose = { state, at, expiresAt: null, source: 'test' }
      await this.publish('profiles', EventTypes.consentChanged.type, userId, {
        userId,
        purposes: { personalization: unknown, ad_personalization: purpose, analytics: unknown, email: unknown, push: unknown },
        asOf: at,
        changes: [{ purpose: 'ad_personalization', status: state, at, expiresAt: null, source: 'test', recordedAt: at }],
      })
      await waitFor(async () => (await db.selectFrom('adUsers').select('adConsent').where('userId', '=', userId).executeTakeFirst())?.adConsent === state, {
        what: `consent of ${userId}`,
      })
    },
    async close() {
      await watch.stop()
      await watcher.close()
      await publisher.close()
      await service.close()
      await database.close()
      await pg.drop()
      await kafka.stop()
    },
  }
}

export type Harness = Awaited<ReturnType<typeof startHarness>>
