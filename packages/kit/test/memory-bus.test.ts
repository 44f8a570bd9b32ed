import { waitFor } from '@attune/kit/testing'
import t from 'tap'
import type { BusMessage, ConsumedMessage } from '../src/events/bus.ts'
import { MemoryBus } from '../src/events/memory-bus.ts'

const msg = (value: string, topic = 'orders'): BusMessage => ({ topic, key: `k-${value}`, value })
const values = (ms: ConsumedMessage[]) => ms.map((m) => m.value)

/** Subscribes a group that records what it receives. */
async function recorder(bus: MemoryBus, groupId: string, topics = ['orders']) {
  const received: ConsumedMessage[] = []
  const sub = await bus.subscribe({
    groupId,
    topics,
    handleBatch: async (batch) => {
      received.push(...batch)
    },
  })
  return { received, sub }
}

t.test('delivers in publish order with offsets, keys and headers', async (t) => {
  const bus = new MemoryBus()
  t.teardown(() => bus.close())
  const { received } = await recorder(bus, 'g')
  await bus.publish([msg('1'), msg('2')])
  await bus.publish([{ ...msg('3'), headers: { trace: 'abc' } }])
  await waitFor(() => received.length === 3, { what: 'three messages' })
  t.same(values(received), ['1', '2', '3'])
  t.same(
    received.map((m) => m.offset),
    ['0', '1', '2'],
  )
  t.equal(received[0]?.key, 'k-1')
  t.equal(received[0]?.partition, 0)
  t.same(received[2]?.headers, { trace: 'abc' })
})

t.test('delivery is asynchronous to publish', async (t) => {
  const bus = new MemoryBus()
  t.teardown(() => bus.close())
  const { received } = await recorder(bus, 'g')
  await bus.publish([msg('1')])
  t.equal(received.length, 0, 'nothing delivered when publish resolves')
  await waitFor(() => received.length === 1, { what: 'the message' })
})

t.test('a group only sees its own topics', async (t) => {
  const bus = new MemoryBus()
  t.teardown(() => bus.close())
  const { received } = await recorder(bus, 'g', ['orders'])
  await bus.publish([msg('a', 'payments'), msg('1', 'orders'), msg('b', 'payments')])
  await bus.idle()
  t.same(values(received), ['1'])
})

t.test('two groups each get every message', async (t) => {
  const bus = new MemoryBus()
  t.teardown(() => bus.close())
  const a = await recorder(bus, 'a')
  const b = await recorder(bus, 'b')
  await bus.publish([msg('1'), msg('2'), msg('3')])
  await waitFor(() => a.received.length === 3 && b.received.length === 3, { what: 'both groups' })
  t.same(values(a.received), ['1', '2', '3'])
  t.same(values(b.received), ['1', '2', '3'])
})

t.test('a group subscribing late reads from the beginning', async (t) => {
  const bus = new MemoryBus()
  t.teardown(() => bus.close())
  await bus.publish([msg('1'), msg('2')])
  const { received } = await recorder(bus, 'late')
  await waitFor(() => received.length === 2, { what: 'the earlier messages' })
  t.same(values(received), ['1', '2'])
})

t.test('a batch whose handler throws is delivered again', async (t) => {
  const bus = new MemoryBus({ retryDelayMs: 5 })
  t.teardown(() => bus.close())
  const attempts: string[][] = []
  await bus.subscribe({
    groupId: 'flaky',
    topics: ['orders'],
    handleBatch: async (batch) => {
      attempts.push(values(batch))
      if (attempts.length < 3) throw new Error('database unavailable')
    },
  })
  await bus.publish([msg('1'), msg('2')])
  await waitFor(() => attempts.length >= 3, { what: 'the third attempt' })
  await bus.idle()
  t.same(attempts, [
    ['1', '2'],
    ['1', '2'],
    ['1', '2'],
  ])
})

t.test('batches are at most batchSize long', async (t) => {
  const bus = new MemoryBus({ batchSize: 2 })
  t.teardown(() => bus.close())
  const batches: string[][] = []
  await bus.publish([msg('1'), msg('2'), msg('3'), msg('4'), msg('5')])
  await bus.subscribe({
    groupId: 'g',
    topics: ['orders'],
    handleBatch: async (batch) => {
      batches.push(values(batch))
    },
  })
  await bus.idle()
  t.same(batches, [['1', '2'], ['3', '4'], ['5']])
})

t.test('idle() resolves once every group has consumed everything', async (t) => {
  const bus = new MemoryBus()
  t.teardown(() => bus.close())
  const fast = await recorder(bus, 'fast')
  const slowSeen: string[] = []
  await bus.subscribe({
    groupId: 'slow',
    topics: ['orders'],
    handleBatch: async (batch) => {
      for (const m of batch) {
        await new Promise((r) => setImmediate(r))
        slowSeen.push(m.value)
      }
    },
  })
  await bus.publish([msg('1'), msg('2')])
  await bus.publish([msg('3')])
  await bus.idle()
  t.same(values(fast.received), ['1', '2', '3'])
  t.same(slowSeen, ['1', '2', '3'])
})

t.test('idle() with no groups resolves at once', async (t) => {
  const bus = new MemoryBus()
  t.teardown(() => bus.close())
  await bus.publish([msg('1')])
  await bus.idle()
  t.pass()
})

t.test('a stopped subscription receives nothing more', async (t) => {
  const bus = new MemoryBus()
  t.teardown(() => bus.close())
  const stopped = await recorder(bus, 'stopped')
  const other = await recorder(bus, 'other')
  await bus.publish([msg('1')])
  await bus.idle()
  await stopped.sub.stop()
  await bus.publish([msg('2')])
  await bus.idle()
  t.same(values(other.received), ['1', '2'], 'the other group goes on')
  t.same(values(stopped.received), ['1'], 'the stopped group does not')
})

t.test('consumed messages are trimmed down to the last `retain`', async (t) => {
  const bus = new MemoryBus({ retain: 2 })
  t.teardown(() => bus.close())
  await recorder(bus, 'g')
  await bus.publish([msg('1'), msg('2'), msg('3'), msg('4'), msg('5')])
  await bus.idle()
  const kept = bus.messages('orders')
  t.same(values(kept), ['4', '5'])
  t.same(
    kept.map((m) => m.offset),
    ['3', '4'],
    'offsets are not renumbered',
  )
  await bus.publish([msg('6')])
  await bus.idle()
  t.same(values(bus.messages('orders')), ['5', '6'])
  t.equal(bus.messages('orders').at(-1)?.offset, '5', 'offsets go on counting')
})

t.test('messages a group has not consumed are not trimmed', async (t) => {
  const bus = new MemoryBus({ retain: 1, retryDelayMs: 5 })
  t.teardown(() => bus.close())
  await recorder(bus, 'fast')
  let failing = true
  let attempts = 0
  await bus.subscribe({
    groupId: 'stuck',
    topics: ['orders'],
    handleBatch: async () => {
      attempts++
      if (failing) throw new Error('not yet')
    },
  })
  await bus.publish([msg('1'), msg('2'), msg('3')])
  await waitFor(() => attempts >= 2, { what: 'a retry of the stuck group' })
  t.same(values(bus.messages('orders')), ['1', '2', '3'], 'all held for the stuck group')
  failing = false
  await bus.idle()
  t.same(values(bus.messages('orders')), ['3'])
})

t.test('messages() of an unknown topic is empty and a copy', async (t) => {
  const bus = new MemoryBus()
  t.teardown(() => bus.close())
  t.same(bus.messages('nothing'), [])
  await bus.publish([msg('1')])
  bus.messages('orders').pop()
  t.equal(bus.messages('orders').length, 1)
})

t.test('after close, publish rejects and the bus is not ready', async (t) => {
  const bus = new MemoryBus()
  t.equal(await bus.isReady(), true)
  await recorder(bus, 'g')
  await bus.close()
  t.equal(await bus.isReady(), false)
  await t.rejects(bus.publish([msg('1')]), { message: 'bus is closed' })
})
