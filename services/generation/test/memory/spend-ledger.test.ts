// Token spend per key and day without a query per request: held spend counts at once, other
// replicas' spend arrives with the next read, and nothing is counted twice or dropped.
import t from 'tap'
import { SpendLedger } from '../../src/memory/spend-ledger.ts'

function setup() {
  let now = 0
  let inDb = 0
  const reads: ((v: number) => void)[] = []
  let manual = false
  const ledger = new SpendLedger({
    read: async () => {
      if (!manual) return inDb
      return new Promise<number>((r) => reads.push(r))
    },
    refreshMs: 1000,
    now: () => now,
  })
  return {
    ledger,
    spent: async () => ledger.spent('key', 'day'),
    db: (n: number) => {
      inDb = n
    },
    advance: (ms: number) => {
      now += ms
    },
    manualReads: () => {
      manual = true
      return reads
    },
  }
}

t.test('read once, then from memory; own spend counts before it is written', async (t) => {
  const s = setup()
  s.db(100)
  t.equal(await s.spent(), 100, 'first read')
  s.ledger.hold('key', 'day', 40)
  t.equal(await s.spent(), 140, 'held (not written yet) counts')
  s.db(140)
  s.ledger.written('key', 'day', 40, true)
  t.equal(await s.spent(), 140, 'written: still counted once')
  s.advance(1000)
  t.equal(s.ledger.spent('key', 'day'), 140, 'a stale entry answers at once and reads in the background')
  await new Promise((r) => setImmediate(r))
  t.equal(s.ledger.spent('key', 'day'), 140, 'after the read: the written spend is in the base, not counted twice')
})

t.test('other replicas’ spend arrives with the next read', async (t) => {
  const s = setup()
  s.db(0)
  await s.spent()
  s.db(5000)
  t.equal(await s.spent(), 0, 'not before the refresh interval')
  s.advance(1000)
  s.ledger.spent('key', 'day')
  await new Promise((r) => setImmediate(r))
  t.equal(await s.spent(), 5000)
})

t.test('a write acknowledged after a read was sent stays counted until a later read', async (t) => {
  const s = setup()
  s.db(0)
  await s.spent()
  const reads = s.manualReads()
  s.advance(1000)
  s.ledger.hold('key', 'day', 30)
  s.ledger.spent('key', 'day') // starts a read that will not see the write below
  s.ledger.written('key', 'day', 30, true)
  reads.shift()?.(0)
  await new Promise((r) => setImmediate(r))
  t.equal(await s.spent(), 30, 'not lost')
})

t.test('a new day starts from its own read', async (t) => {
  const s = setup()
  s.db(10)
  await s.spent()
  s.ledger.hold('key', 'day', 20)
  s.db(0)
  t.equal(await s.ledger.spent('key', 'day+1'), 0)
})

t.test('a failed first read fails the caller and is tried again', async (t) => {
  let fail = true
  const ledger = new SpendLedger({
    read: async () => {
      if (fail) throw new Error('db down')
      return 7
    },
    refreshMs: 1000,
    now: () => 0,
  })
  await t.rejects(async () => ledger.spent('k', 'd'), /db down/)
  fail = false
  t.equal(await ledger.spent('k', 'd'), 7)
})
