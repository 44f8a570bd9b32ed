// One generation service per test file on real Postgres and a Kafka peer, with a watcher of the
// topics it publishes and a publisher for the ones it consumes.
import { type AnyEvent, EventTypes } from '@attune/contracts'
import { KafkaBus, makeEvent, openDatabase } from '@attune/kit'
import { createTestDatabase, kafkaForTests, startTestService, uniqueTopicPrefix, waitFor } from '@attune/kit/testing'
import pino from 'pino'
import { generation } from '../../src/app.ts'
import { memoryFor } from '../../src/memory/generation-memory.ts'

export async function startHarness(env: Record<string, string>) {
  const pg = await createTestDatabase()
  const kafka = await kafkaForTests()
  const database = await openDatabase(pg.url)
  const prefix = uniqueTopicPrefix()
  const log = pino({ level: 'silent' })
  const newBus = (clientId: string) => new KafkaBus({ brokers: kafka.brokers.split(','), clientId, log, fetchMaxWaitMs: 20 })
  const service = await startTestService(generation, { database, bus: newBus('generation'), env: { KAFKA_TOPIC_PREFIX: prefix, ...env } })
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
  const db = service.context.db
  return {
    app: service.app,
    db,
    context: service.context,
    seen,
    /** Writes the outputs returned so far that are still behind the response (memory/output-log.ts). */
    settle: () => memoryFor(service.context).outputs.flush(),
    async publish(topic: string, type: string, subject: string, data: unknown) {
      const event = makeEvent({ type, source: 'test', subject, data }, new Date())
      await publisher.publish([{ topic: `${prefix}.${topic}`, key: subject, value: JSON.stringify(event) }])
      return event
    },
    /** Sends preferences.updated for a user and waits until generation mirrored it. */
    async setStyle(userId: string, style: Record<string, string>, languages: string[] = ['en'], mutedTopics: string[] = []) {
      const at = new Date().toISOString()
      await this.publish('profiles', EventTypes.preferencesUpdated.type, userId, {
        userId,
        followedTopics: [],
        mutedTopics,
        mutedAuthors: [],
        mutedItems: [],
        channels: { email: true, push: true, sms: false, in_app: true, webhook: false },
        quietHours: null,
        frequencyCaps: {},
        languages,
        style,
        nonPersonalized: false,
        updatedAt: at,
      })
      await waitFor(
        async () => (await db.selectFrom('userSignals').select('style').where('userId', '=', userId).executeTakeFirst())?.style?.formality === style.formality,
        {
          what: `preferences of ${userId}`,
        },
      )
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

/** Row counts of the tables a provider failure must leave untouched (outputs already returned written first). */
export async function counts(h: Pick<Awaited<ReturnType<typeof startHarness>>, 'db' | 'settle'>) {
  await h.settle()
  const { db } = h
  const n = async (table: 'generations' | 'reviews' | 'tokenUsage' | 'promptCache' | 'conversationMessages' | 'storyTurns' | 'stories') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )
  return {
    generations: await n('generations'),
    reviews: await n('reviews'),
    tokenUsage: await n('tokenUsage'),
    promptCache: await n('promptCache'),
    conversationMessages: await n('conversationMessages'),
    storyTurns: await n('storyTurns'),
    stories: await n('stories'),
  }
}
