// Decisions are serialized once when logged, a line per request: `why` reads them back from memory
// exactly as logged until written, they are written in one batch row, and erasure drops a user's
// before they are written or read.
import type { Kysely } from 'kysely'
import t from 'tap'
import type { AdsDb } from '../../src/db.ts'
import { DecisionLog } from '../../src/serving/decision-log.ts'
import { decisionRequestRow, type LoggedChoice, type LoggedRequest } from '../../src/store/decisions-store.ts'
import { loggedChoice } from '../support/logged-choice.ts'

const request = (requestId: string, userId: string | null, decisions: LoggedChoice[]): LoggedRequest => ({
  requestId,
  userId,
  personalized: userId !== null,
  createdAt: 1_764_000_000_123,
  decisions,
})

/**
 * A database that keeps the request rows the log writes (failing while `down.on`; a write waits for
 * `gate` when given) and finds nothing; `events` says when writes and transactions (erasure's) happened.
 */
function fakeDb(down = { on: false }, gate?: Promise<void>) {
  const written: unknown[][] = []
  const events: string[] = []
  const chain: Record<string, unknown> = {}
  for (const k of ['select', 'selectAll', 'where', 'orderBy', 'forUpdate']) chain[k] = () => chain
  chain.execute = async () => []
  chain.executeTakeFirst = async () => undefined
  const insert = {
    values: (row: { requests: string }) => ({
      execute: async () => {
        await gate
        if (down.on) throw new Error('database down')
        written.push(row.requests.split('\n').map((line) => JSON.parse(line) as unknown))
        events.push('write')
      },
    }),
  }
  const db = {
    insertInto: () => insert,
    selectFrom: () => chain,
    transaction: () => ({
      execute: (fn: (trx: unknown) => Promise<unknown>) => {
        events.push('transaction')
        return fn(db)
      },
    }),
  } as unknown as Kysely<AdsDb>
  return { db, written, events }
}

t.test('why reads a decision back from memory as logged; one write per flush', async (t) => {
  const { db, written } = fakeDb()
  const log = new DecisionLog(db, { flushMs: 60_000, maxBuffered: 100 })
  const d2 = loggedChoice('d2', { placementId: 'p2', copyVariantId: 'v1', copySegmentId: 's1' })
  log.record(request('r1', 'u1', [loggedChoice('d1'), d2]))
  log.record(request('r2', null, [loggedChoice('d3')]))
  log.record(request('r3', null, []))
  const found = await log.find('d2')
  t.same(found, { ...d2, requestId: 'r1', userId: 'u1', personalized: true, createdAt: new Date(1_764_000_000_123) })
  t.equal(found?.value, 0.012345678901234567, 'numbers exactly')
  t.equal((await log.find('d3'))?.requestId, 'r2')
  t.equal(await log.find('nope'), undefined, 'not in memory: the table (none here)')
  await log.flush()
  t.equal(written.length, 1, 'one statement')
  t.same(
    (written[0] as unknown[][]).map((r) => [r[0], (r[4] as unknown[][]).map((d) => d[0])]),
    [
      ['r1', ['d1', 'd2']],
      ['r2', ['d3']],
    ],
    'one row per request with decisions; none for a request without',
  )
  await log.close()
})

t.test('erasure: nothing of the user is written or read back', async (t) => {
  const { db, written, events } = fakeDb()
  const log = new DecisionLog(db, { flushMs: 60_000, maxBuffered: 100 })
  log.record(request('r1', 'u1', [loggedChoice('d1'), loggedChoice('d2')]))
  log.record(request('r2', 'u2', [loggedChoice('d3')]))
  await log.forget('u1')
  t.equal(await log.find('d1'), undefined)
  t.equal(await log.find('d2'), undefined)
  t.same(
    written.flat().map((r) => (r as unknown[])[0]),
    ['r2'],
    'the flush it waits for writes the others',
  )
  t.same(events, ['write', 'transaction'], 'written, then erased in a transaction')
  await log.close()
})

t.test('erasure while a batch holding the user is being written: taken out of the batches once it is', async (t) => {
  let open = () => {}
  const { db, written, events } = fakeDb({ on: false }, new Promise<void>((r) => (open = r)))
  const log = new DecisionLog(db, { flushMs: 60_000, maxBuffered: 100 })
  log.record(request('r1', 'u1', [loggedChoice('d1')]))
  const flushing = log.flush()
  const forgetting = log.forget('u1')
  await new Promise((r) => setTimeout(r, 20))
  t.same(events, [], 'nothing erased while the write is in flight')
  open()
  await Promise.all([flushing, forgetting])
  t.same(events, ['write', 'transaction'], 'the batch (already holding the user) is written, then the user is taken out of the batches')
  t.same(
    written.flat().map((r) => (r as unknown[])[0]),
    ['r1'],
  )
  t.equal(await log.find('d1'), undefined, 'and it is not read back from memory')
  await log.close()
})

t.test('once written, why reads the table; a failed write stays readable from memory', async (t) => {
  const down = { on: true }
  const { db, written } = fakeDb(down)
  const log = new DecisionLog(db, { flushMs: 1, maxBuffered: 100 })
  log.record(request('r1', 'u1', [loggedChoice('d1')]))
  await log.flush()
  t.ok(await log.find('d1'), 'not written: still answered from memory')
  down.on = false
  await log.flush()
  t.equal(written.length, 1)
  t.equal(await log.find('d1'), undefined, 'written: the table answers (none here)')
  await log.close()
})

t.test('a request row is written as JSON.stringify writes its columns in order', async (t) => {
  const shared = Object.freeze([{ kind: 'untargeted', value: 'run of site' }]) as LoggedChoice['reasons']
  const decisions = [
    loggedChoice('d1', { reasons: shared }),
    loggedChoice('d2', { reasons: shared, feature: '', value: 0, propensity: 1 }),
    loggedChoice('d3', { copyVariantId: 'v1', copySegmentId: 's1', value: 1e-7, propensity: -0, feature: 'IAB"1' }),
  ]
  for (const r of [request('r1', 'u "1"\n\u2028', decisions), request('r2', null, decisions.slice(1)), request('r3', 'ü', [])]) {
    const columns = [
      r.requestId,
      r.userId,
      r.personalized,
      r.createdAt,
      r.decisions.map((d) => [
        d.decisionId,
        d.placementId,
        d.adId,
        d.campaignId,
        d.tier,
        d.value,
        d.propensity,
        d.feature,
        d.reasons,
        d.copyVariantId,
        d.copySegmentId,
      ]),
    ]
    t.equal(decisionRequestRow(r), JSON.stringify(columns))
  }
})

t.test('while writes fail, what is kept in memory stays bounded', async (t) => {
  const down = { on: true }
  const { db } = fakeDb(down)
  const log = new DecisionLog(db, { flushMs: 1, maxBuffered: 2 })
  for (let i = 0; i < 200; i++) log.record(request(`r${i}`, null, [loggedChoice(`d${i}`)]))
  // The kit bounds its buffer when a write fails (the one in flight); memory answers for what it still holds.
  await log.flush()
  t.ok(await log.find('d199'), 'the newest')
  t.equal(await log.find('d0'), undefined, 'the oldest are dropped (as the kit drops them from its buffer)')
  down.on = false
  await log.close()
})
