// The decision log's flush alone, bounded in time (a few seconds): 40 flushes of 500 realistic
// three-decision request rows written by recordDecisionBatches to a fresh database on real
// Postgres, four rounds. Per request: this process's CPU and page faults, Postgres's CPU (every
// local postgres process) and the wall time. The rows are made before each round and the heap
// collected, so what is counted is the flush. Run with `node --expose-gc`.
import { performance } from 'node:perf_hooks'
import { migrateSchema, openDatabase, schemaView, timeOrderedId } from '@attune/kit'
import { cpuSecondsOfCommand, createTestDatabase } from '@attune/kit/testing'
import { migrations } from '../migrations/index.ts'
import type { AdsDb, Reason } from '../src/db.ts'
import { type BatchedRequest, decisionRequestRow, recordDecisionBatches } from '../src/store/decisions-store.ts'

const FLUSHES = 40
const REQUESTS = 500
const collect = (globalThis as { gc?: () => void }).gc
if (!collect) throw new Error('run with node --expose-gc')

const pg = await createTestDatabase()
const database = await openDatabase(pg.url, { poolMax: 1 })
await migrateSchema(database, 'ads', migrations)
const db = schemaView<AdsDb>(database, 'ads')
const id = () => timeOrderedId()
const reasons: Reason[] = Object.freeze([{ kind: 'keyword', value: 'football' }]) as Reason[]

function flushOf(): BatchedRequest[] {
  return Array.from({ length: REQUESTS }, (_, i) => {
    const at = Date.now()
    const userId = i % 2 ? `user-${i}` : null
    const decisions = [0, 1, 2].map(() => ({
      decisionId: id(),
      placementId: id(),
      adId: id(),
      campaignId: id(),
      tier: 'standard' as const,
      value: Math.random(),
      propensity: Math.random(),
      feature: 'kw:football',
      reasons,
      copyVariantId: null,
      copySegmentId: null,
    }))
    return { row: decisionRequestRow({ requestId: id(), userId, personalized: userId !== null, createdAt: at, decisions }), userId, at }
  })
}

try {
  for (let round = 0; round < 4; round++) {
    const flushes = Array.from({ length: FLUSHES }, flushOf)
    collect()
    let cpuUs = 0
    let faults = 0
    let pgSeconds = 0
    let wallMs = 0
    for (const requests of flushes) {
      const pg0 = cpuSecondsOfCommand('postgres') ?? 0
      const usage0 = process.resourceUsage()
      const t0 = performance.now()
      await recordDecisionBatches(db, requests)
      wallMs += performance.now() - t0
      const usage1 = process.resourceUsage()
      cpuUs += usage1.userCPUTime + usage1.systemCPUTime - usage0.userCPUTime - usage0.systemCPUTime
      faults += usage1.minorPageFault - usage0.minorPageFault
      pgSeconds += (cpuSecondsOfCommand('postgres') ?? 0) - pg0
    }
    const n = FLUSHES * REQUESTS
    process.stdout.write(
      `round ${round + 1}: this process ${(cpuUs / n).toFixed(2)} µs and ${(faults / FLUSHES).toFixed(0)} page faults a flush, Postgres ${((pgSeconds * 1e6) / n).toFixed(2)} µs, wall ${((wallMs * 1000) / n).toFixed(2)} µs (per request, ${REQUESTS} requests a flush)\n`,
    )
  }
} finally {
  await database.close()
  await pg.drop()
}
