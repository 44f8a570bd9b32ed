import { errors, timeOfOrderedId } from '@attune/kit'
import type { Generation } from '../schemas/generate.ts'
import { getGeneration } from '../store/generations-store.ts'
import { reviewOfGeneration } from '../store/reviews-store.ts'
import type { FlowDeps } from './deps.ts'
import { generationView } from './generation-view.ts'

/** How far another replica's clock may be behind this one's. */
const CLOCK_SKEW_MS = 1000

/**
 * GET /v1/generations/{id}: this replica's returned outputs (never reviewed) from memory until
 * they are written; others from the database. An id made recently enough (ids are UUIDv7: their
 * time is when the output was returned) that another replica may not have written it yet is
 * looked for once more after that replica's flush; any other unknown id is a 404 at once.
 */
export async function findGeneration(deps: Pick<FlowDeps, 'ctx' | 'memory'>, generationId: string): Promise<Generation> {
  const returned = deps.memory.outputs.unwritten(generationId)
  if (returned) return generationView(returned, undefined)
  const [g, review] = await Promise.all([getGeneration(deps.ctx.db, generationId), reviewOfGeneration(deps.ctx.db, generationId)])
  if (g) return generationView(g, review)
  // The replica that made it has written it by `made + 2·flushMs`, by a clock up to CLOCK_SKEW_MS behind ours.
  const flushMs = deps.memory.outputs.flushMs
  const made = timeOfOrderedId(generationId)
  const untilWritten = made === undefined ? -1 : made + 2 * flushMs + CLOCK_SKEW_MS - deps.ctx.clock().getTime()
  if (untilWritten < 0) throw errors.notFound('Generation', generationId)
  await new Promise((r) => setTimeout(r, Math.min(2 * flushMs, untilWritten)))
  const later = await getGeneration(deps.ctx.db, generationId)
  if (!later) throw errors.notFound('Generation', generationId)
  return generationView(later, undefined)
}
