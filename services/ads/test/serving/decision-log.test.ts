// Decisions are serialized once when logged: `why` reads them back from memory exactly as logged,
// they are written in one batch, and erasure drops a user's before they are written or read.
import type { Kysely } from 'kysely'
import t from 'tap'
import type { AdsDb } from '../../src/db.ts'
import { DecisionLog } from '../../src/serving/decision-log.ts'
import type { LoggedDecision } from '../../src/store/decisions-store.ts'

const row = (decisionId: string, userId: string | null, over: Partial<LoggedDecision> = {}): LoggedDecision => ({
  decisionId,
  requestId: 'r1',
  placementId: 'p1',
  adId: 'a1',
  campaignId: 'c1',
  userId,
  personalized: userId !== null,
  tier: 'standard',
  value: 0.012345678901234567,
  propensity: 11 / 17,
  feature: 'IAB17',
  reasons: [{ kind: 'keyword', value: 'cup "final"' }],
  copyVariantId: null,
  copySegmentId: null,
  createdAt: 1_764_000_000_123,
  ...over,
})

/** A database that keeps what the log writes and finds nothing. */
function fakeDb() {
  const written: unknown[][] = []
  const chain: Record<string, unknown> = {}
  for (const k of ['columns', 'onConflict', 'selectAll', 'where']) chain[k] = () => chain
  chain.expression = (q: { parameters?: unknown[]; toOperationNode(): unknown }) => {
    const text = JSON.stringify(q.toOperationNode())
    const param = /"value":"(\[.*\])"/.exec(text)?.[1]
    if (param) written.push(JSON.parse(JSON.parse(`"${param}"`)) as unknown[])
    return chain
  }
  chain.execute = async () => []
  chain.executeTakeFirst = async () => undefined
  const db = { insertInto: () => chain, selectFrom: () => chain } as unknown as Kysely<AdsDb>
  return { db, written }
}

t.test('why reads a decision back from memory as logged; one write per flush', async (t) => {
  const { db, written } = fakeDb()
  const log = new DecisionLog(db, { flushMs: 60_000, maxBuffered: 100, recentMax: 100 })
  log.record([row('d1', 'u1'), row('d2', 'u1', { placementId: 'p2', copyVariantId: 'v1', copySegmentId: 's1' })])
  log.record([row('d3', null, { requestId: 'r2' })])
  const d2 = await log.find('d2')
  t.same(d2, { ...row('d2', 'u1', { placementId: 'p2', copyVariantId: 'v1', copySegmentId: 's1' }), createdAt: new Date(1_764_000_000_123) })
  t.equal(d2?.value, 0.012345678901234567, 'numbers exactly')
  t.equal((await log.find('d3'))?.requestId, 'r2')
  t.equal(await log.find('nope'), undefined, 'not in memory: the table (none here)')
  await log.flush()
  t.equal(written.length, 1, 'one statement')
  t.same(
    (written[0] as unknown[][]).map((r) => r[0]),
    ['d1', 'd2', 'd3'],
  )
  await log.close()
})

t.test('erasure: nothing of the user is written or read back', async (t) => {
  const { db, written } = fakeDb()
  const log = new DecisionLog(db, { flushMs: 60_000, maxBuffered: 100, recentMax: 100 })
  log.record([row('d1', 'u1'), row('d2', 'u1')])
  log.record([row('d3', 'u2')])
  log.forget('u1')
  t.equal(await log.find('d1'), undefined)
  t.equal(await log.find('d2'), undefined)
  t.ok(await log.find('d3'))
  await log.flush()
  t.same(
    written.flat().map((r) => (r as unknown[])[0]),
    ['d3'],
  )
  await log.close()
})
