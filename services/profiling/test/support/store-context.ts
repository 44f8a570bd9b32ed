import { MemoryBus, openDatabase } from '@attune/kit'
import { createTestDatabase, startTestService } from '@attune/kit/testing'
import { profiling } from '@attune/profiling'

/**
 * The profiling service's context on a fresh database, not started (no consumers, no relay), for
 * tests of its stores; closed and dropped when the test file ends.
 */
export async function storeContext(t: { teardown(fn: () => Promise<void>): void }) {
  const pg = await createTestDatabase()
  const database = await openDatabase(pg.url)
  const service = await startTestService(profiling, { database, bus: new MemoryBus(), start: false })
  t.teardown(async () => {
    await service.close()
    await database.close()
    await pg.drop()
  })
  return service.context
}
