// WriteBehindLog's bookkeeping (the writes themselves are exercised on Postgres by the services).
import t from 'tap'
import { WriteBehindLog } from '../src/db/write-behind.ts'

interface Row {
  id: string
  user: string
}

function log(write: (rows: Row[]) => Promise<void> = async () => {}, recentMax = 4) {
  return new WriteBehindLog<Row>({ flushMs: 5, maxBuffered: 100, recentMax, write, idOf: (r) => r.id, userOf: (r) => r.user, what: 'rows' })
}
const rows = (n: number, user = 'u') => Array.from({ length: n }, (_, i) => ({ id: `r${i}`, user }))

t.test('recent rows: the newest are kept, bounded by recentMax', async (t) => {
  const l = log()
  l.record(rows(10))
  t.ok(
    ['r9', 'r8', 'r7', 'r6'].every((id) => l.recent(id)),
    'the last recentMax at least',
  )
  t.notOk(l.recent('r0') || l.recent('r1'), 'older ones are gone')
  const kept = rows(10).filter((r) => l.recent(r.id)).length
  t.ok(kept >= 4 && kept <= 8, `between recentMax and twice that kept (${kept})`)
  await l.close()
})

t.test('recentMax 0 keeps none, and still writes every row', async (t) => {
  const written: string[] = []
  const l = log(async (batch) => void written.push(...batch.map((r) => r.id)), 0)
  l.record(rows(3))
  t.equal(l.recent('r2'), undefined)
  await l.close()
  t.same(written, ['r0', 'r1', 'r2'])
})

t.test('every row is written once, in batches', async (t) => {
  const written: string[] = []
  const l = log(async (batch) => void written.push(...batch.map((r) => r.id)))
  l.record(rows(3))
  l.record([{ id: 'x', user: 'v' }])
  await l.flush()
  t.same(written, ['r0', 'r1', 'r2', 'x'])
  await l.close()
  t.equal(written.length, 4, 'nothing written twice at close')
})

t.test('forget drops a user from the buffer and from both generations of recent rows', async (t) => {
  const written: Row[] = []
  const l = log(async (batch) => void written.push(...batch))
  l.record([
    { id: 'a', user: 'gone' },
    { id: 'b', user: 'kept' },
  ])
  l.record([
    { id: 'c', user: 'gone' },
    { id: 'd', user: 'kept' },
  ])
  l.forget('gone')
  t.notOk(l.recent('a') || l.recent('c'))
  t.ok(l.recent('d'), 'the other user stays')
  await l.close()
  t.same(
    written.map((r) => r.id),
    ['b', 'd'],
  )
})

t.test('a failed write is tried again', async (t) => {
  let fail = true
  const written: string[] = []
  const l = log(async (batch) => {
    if (fail) {
      fail = false
      throw new Error('down')
    }
    written.push(...batch.map((r) => r.id))
  })
  l.record(rows(2))
  await l.flush()
  await l.close()
  t.same(written, ['r0', 'r1'])
})

t.test('unwritten: the buffer and the batch being written, until its write succeeds', async (t) => {
  let release: () => void = () => {}
  let fail = true
  const l = log(async () => {
    await new Promise<void>((r) => {
      release = r
    })
    if (fail) {
      fail = false
      throw new Error('down')
    }
  })
  l.record(rows(2))
  const flushing = l.flush()
  l.record([{ id: 'x', user: 'v' }])
  t.same(
    [...l.unwritten()].map((r) => r.id),
    ['r0', 'r1', 'x'],
    'in flight first, then the buffer',
  )
  release()
  await flushing
  t.same(
    [...l.unwritten()].map((r) => r.id),
    ['r0', 'r1', 'x'],
    'a failed batch is unwritten again, once',
  )
  const again = l.flush()
  await new Promise((r) => setImmediate(r))
  release()
  await again
  t.same([...l.unwritten()], [], 'written')
  await l.close()
})

t.test('a user erased while their batch is being written stays erased if that write fails', async (t) => {
  let release: () => void = () => {}
  let fail = true
  const written: string[] = []
  const l = log(async (batch) => {
    await new Promise<void>((r) => {
      release = r
    })
    if (fail) {
      fail = false
      throw new Error('down')
    }
    written.push(...batch.map((r) => r.id))
  })
  l.record([
    { id: 'a', user: 'gone' },
    { id: 'b', user: 'kept' },
  ])
  const flushing = l.flush()
  l.forget('gone')
  t.same(
    [...l.unwritten()].map((r) => r.id),
    ['b'],
    'not read back',
  )
  release()
  await flushing
  const again = l.flush()
  await new Promise((r) => setImmediate(r))
  release()
  await again
  await l.close()
  t.same(written, ['b'], 'the retry leaves the erased user out')
})

t.test('forgetAfterWrite returns once the batch in flight is written, and forgets what was recorded meanwhile', async (t) => {
  let release: () => void = () => {}
  const written: string[] = []
  const l = log(async (batch) => {
    await new Promise<void>((r) => {
      release = r
    })
    written.push(...batch.map((r) => r.id))
  })
  l.record([
    { id: 'a', user: 'gone' },
    { id: 'b', user: 'kept' },
  ])
  void l.flush()
  let settled = false
  const forgetting = l.forgetAfterWrite('gone').then(() => {
    settled = true
  })
  // Recorded while the batch is being written: forgotten before it can be written.
  l.record([{ id: 'c', user: 'gone' }])
  await new Promise((r) => setImmediate(r))
  t.notOk(settled, 'waits for the write in flight')
  release()
  await forgetting
  t.same(written, ['a', 'b'], 'the batch in flight was written whole (the caller deletes after)')
  t.same(
    [...l.unwritten()].map((r) => r.id),
    [],
    'nothing of the user is left to write',
  )
  await l.close()
  t.same(written, ['a', 'b'])
})
