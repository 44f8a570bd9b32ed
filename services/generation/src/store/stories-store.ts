import type { Kysely } from 'kysely'
import type { GenerationDb, StoriesTable, StoryTurnsTable } from '../db.ts'

export async function insertStory(
  db: Kysely<GenerationDb>,
  s: Omit<StoriesTable, 'characters'> & { characters: StoriesTable['characters']['__select__'] },
): Promise<void> {
  await db
    .insertInto('stories')
    .values({ ...s, characters: JSON.stringify(s.characters) })
    .execute()
}

export function storyById(db: Kysely<GenerationDb>, storyId: string) {
  return db.selectFrom('stories').selectAll().where('storyId', '=', storyId).executeTakeFirst()
}

export function turnById(db: Kysely<GenerationDb>, storyId: string, turnId: string): Promise<StoryTurnsTable | undefined> {
  return db.selectFrom('storyTurns').selectAll().where('storyId', '=', storyId).where('turnId', '=', turnId).executeTakeFirst()
}

export function turnsOf(db: Kysely<GenerationDb>, storyId: string): Promise<StoryTurnsTable[]> {
  return db.selectFrom('storyTurns').selectAll().where('storyId', '=', storyId).orderBy('createdAt').orderBy('depth').execute()
}

/** The latest turn of a story (what a turn without `parentTurnId` continues). */
export function latestTurn(db: Kysely<GenerationDb>, storyId: string): Promise<StoryTurnsTable | undefined> {
  return db
    .selectFrom('storyTurns')
    .selectAll()
    .where('storyId', '=', storyId)
    .orderBy('createdAt', 'desc')
    .orderBy('turnId', 'desc')
    .limit(1)
    .executeTakeFirst()
}

export async function insertTurn(db: Kysely<GenerationDb>, t: StoryTurnsTable): Promise<void> {
  await db.insertInto('storyTurns').values(t).execute()
}
