import { errors } from '@attune/kit'
import type { Generation } from '../schemas/generate.ts'
import { getGeneration } from '../store/generations-store.ts'
import { reviewOfGeneration } from '../store/reviews-store.ts'
import type { FlowDeps } from './deps.ts'
import { generationView } from './generation-view.ts'

/**
 * GET /v1/generations/{id}: this replica's returned outputs (never reviewed) from memory until
 * they are written; others from the database, looked for once more after a flush interval when
 * not there (another replica may not have written it yet).
 */
export async function findGeneration(deps: Pick<FlowDeps, 'ctx' | 'memory'>, generationId: string): Promise<Generation> {
  const returned = deps.memory.outputs.unwritten(generationId)
  if (returned) return generationView(returned, undefined)
  const [g, review] = await Promise.all([getGeneration(deps.ctx.db, generationId), reviewOfGeneration(deps.ctx.db, generationId)])
  if (g) return generationView(g, review)
  await new Promise((r) => setTimeout(r, deps.memory.outputs.flushMs * 2))
  const later = await getGeneration(deps.ctx.db, generationId)
  if (!later) throw errors.notFound('Generation', generationId)
  return generationView(later, undefined)
}
