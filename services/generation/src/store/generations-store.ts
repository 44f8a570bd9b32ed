import type { Kysely, Selectable } from 'kysely'
import type { GenerationDb, GenerationsTable, StoredVariant } from '../db.ts'

export type NewGeneration = Omit<GenerationsTable, 'variants' | 'why'> & { variants: StoredVariant[]; why: Record<string, unknown> }

export function getGeneration(db: Kysely<GenerationDb>, generationId: string): Promise<Selectable<GenerationsTable> | undefined> {
  return db.selectFrom('generations').selectAll().where('generationId', '=', generationId).executeTakeFirst()
}
