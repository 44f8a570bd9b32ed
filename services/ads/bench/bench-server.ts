import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import { type Database, openDatabase, schemaView } from '@attune/kit'
import { type ServiceProcess, startServiceProcess } from '@attune/kit/testing'
import type { Kysely } from 'kysely'
import type { AdsDb } from '../src/db.ts'
import { seededRng } from '../src/domain/random.ts'
import { seedCatalog, seedUsers } from './seed.ts'

/** The real ads server as its own process on a fresh database; BENCH_SERVER_NODE_OPTIONS is its NODE_OPTIONS (e.g. `--perf-prof` to profile it under load). */
export function startBenchServer(): Promise<ServiceProcess> {
  return startServiceProcess(
    join(import.meta.dirname, '..', 'src', 'server.ts'),
    process.env.BENCH_SERVER_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_SERVER_NODE_OPTIONS } : {},
  )
}

/**
 * Seeds the server's database (seed.ts: the catalog, then users over 20 segments, from seed 1), then
 * runs `more` on it; returns the placements and the time it took.
 */
export async function seedBenchDatabase(
  server: ServiceProcess,
  o: { campaigns: number; users: number; more?: (ads: Kysely<AdsDb>, database: Database) => Promise<void> },
): Promise<{ placementIds: string[]; seedMs: number }> {
  const database = await openDatabase(server.databaseUrl, { poolMax: 2 })
  try {
    const ads = schemaView<AdsDb>(database, 'ads')
    const rng = seededRng(1)
    const segments = Array.from({ length: 20 }, () => randomUUID())
    const start = Date.now()
    const placementIds = await seedCatalog(ads, o.campaigns, rng, segments)
    await seedUsers(ads, o.users, rng, segments)
    await o.more?.(ads, database)
    return { placementIds, seedMs: Date.now() - start }
  } finally {
    await database.close()
  }
}
