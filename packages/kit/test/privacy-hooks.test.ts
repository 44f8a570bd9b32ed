// The kit's generic privacy and jobs hooks: a service declaring `privacy.erase` erases and confirms
// each privacy.erasure-requested once, in one transaction; `jobs` run from start until close.
import { deadLetterTopic, ErasureCompleted, EventTypes, Topics, topicName } from '@attune/contracts'
import { type KitTables, MemoryBus, makeEvent, type ServiceDefinition } from '@attune/kit'
import { startTestServiceOnNewDatabase, waitFor } from '@attune/kit/testing'
import type { Kysely } from 'kysely'
import t from 'tap'
import { Value } from 'typebox/value'

interface HolderDb extends KitTables {
  people: { userId: string }
}

const erased: string[] = []
let jobRuns = 0

const holder: ServiceDefinition<HolderDb> = {
  name: 'holder',
  version: '0.0.1',
  description: 'a service holding user data',
  tags: [],
  migrations: {
    '0001-create-people': {
      async up(db: Kysely<unknown>) {
        await db.schema.createTable('people').addColumn('user_id', 'text').execute()
      },
    },
  },
  routes() {},
  privacy: {
    async erase(trx, userId) {
      erased.push(userId)
      if (userId === 'cursed') throw new Error('cannot erase')
      await trx.deleteFrom('people').where('userId', '=', userId).execute()
    },
  },
  jobs: () => [{ name: 'count', intervalMs: 20, run: async () => void jobRuns++ }],
}

const bus = new MemoryBus({ retryDelayMs: 5 })
const { service } = await startTestServiceOnNewDatabase(t, holder, { bus, env: { CONSUMER_MAX_ATTEMPTS: '2' } })

const topic = topicName('attune', Topics.privacy)
const request = (userId: string, requestId = crypto.randomUUID()) =>
  makeEvent({ ...EventTypes.erasureRequested, source: 'profiling', subject: userId, data: { requestId, userId } }, new Date())
const completions = () =>
  bus
    .messages(topic)
    .map((m) => ({ key: m.key, event: JSON.parse(m.value) }))
    .filter((m) => m.event.type === EventTypes.erasureCompleted.type)

t.test('erasure-requested: erase runs once, confirmed once with the service name, keyed by user', async (t) => {
  await service.context.db
    .insertInto('people')
    .values([{ userId: 'alice' }, { userId: 'bob' }])
    .execute()
  const e = request('alice')
  const message = { topic, key: 'alice', value: JSON.stringify(e) }
  await bus.publish([message])
  await bus.publish([message])
  const [done] = await waitFor(() => (completions().length > 0 ? completions() : undefined), { what: 'the confirmation' })
  t.equal(done?.key, 'alice')
  t.ok(Value.Check(ErasureCompleted, done?.event), 'matches the contract')
  t.same(done?.event.data, { requestId: e.data.requestId, userId: 'alice', service: 'holder' })
  // A later request proves the duplicate was consumed (in order) without a second erasure.
  await bus.publish([{ topic, key: 'bob', value: JSON.stringify(request('bob')) }])
  await waitFor(() => completions().length === 2, { what: 'the second confirmation' })
  t.same(
    erased.filter((u) => u === 'alice'),
    ['alice'],
    'the redelivered request was not applied twice',
  )
  t.same(await service.context.db.selectFrom('people').selectAll().execute(), [], 'both users are gone')
})

t.test('an erase that keeps failing confirms nothing and goes to the dead-letter topic', async (t) => {
  const before = completions().length
  await bus.publish([{ topic, key: 'cursed', value: JSON.stringify(request('cursed')) }])
  await waitFor(() => bus.messages(deadLetterTopic(topic)).some((m) => m.key === 'cursed'), { what: 'the dead letter' })
  t.equal(completions().length, before, 'no confirmation for a failed erasure')
})

t.test('jobs run from start, repeatedly', async (t) => {
  await waitFor(() => jobRuns >= 2, { what: 'two job runs' })
  t.pass('the job ran at start and on its interval')
})
