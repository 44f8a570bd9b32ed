import { MemoryBus } from '@attune/kit'
import { startTestServiceOnNewDatabase, type Teardown } from '@attune/kit/testing'
import { profiling } from '@attune/profiling'

/**
 * The profiling service's context on a fresh database, not started (no consumers, no relay), for
 * tests of its stores; closed and dropped when the test file ends.
 */
export async function storeContext(t: Teardown) {
  const { service } = await startTestServiceOnNewDatabase(t, profiling, { bus: new MemoryBus(), start: false })
  return service.context
}
