import type { Kysely } from 'kysely'
import type { GenerationDb } from '../db.ts'

/**
 * Generation's `privacy.erase` hook: the user's mirrored signals, content generated for them (with
 * its reviews and audit, by cascade), prompt-cache rows built for them, their conversations and
 * stories (messages, reactions and turns by cascade). Idempotent.
 */
export async function eraseUser(trx: Kysely<GenerationDb>, userId: string): Promise<void> {
  await trx.deleteFrom('userSignals').where('userId', '=', userId).execute()
  await trx.deleteFrom('generations').where('userId', '=', userId).execute()
  await trx.deleteFrom('promptCache').where('userId', '=', userId).execute()
  await trx.deleteFrom('conversationReactions').where('userId', '=', userId).execute()
  await trx.deleteFrom('conversations').where('userId', '=', userId).execute()
  await trx.deleteFrom('stories').where('userId', '=', userId).execute()
}

/** Outputs and prompt-cache rows of a user written after their erasure ran (a write-behind flush in flight). */
export async function deleteReturnedOf(db: Kysely<GenerationDb>, userId: string): Promise<void> {
  await db.deleteFrom('generations').where('userId', '=', userId).execute()
  await db.deleteFrom('promptCache').where('userId', '=', userId).execute()
}
