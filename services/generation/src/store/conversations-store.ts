import type { Kysely, Selectable } from 'kysely'
import type { ConversationMessagesTable, ConversationsTable, GenerationDb } from '../db.ts'

/** A message to append; `citations` are stored as JSON. */
export interface NewMessage {
  role: 'user' | 'assistant'
  text: string
  citations: unknown[]
  provider: string | null
  createdAt: Date
}

export async function insertConversation(db: Kysely<GenerationDb>, c: ConversationsTable): Promise<void> {
  await db.insertInto('conversations').values(c).execute()
}

export function conversationById(db: Kysely<GenerationDb>, conversationId: string, lock = false): Promise<ConversationsTable | undefined> {
  const q = db.selectFrom('conversations').selectAll().where('conversationId', '=', conversationId)
  return (lock ? q.forUpdate() : q).executeTakeFirst()
}

/** The last `limit` messages, oldest first. */
export async function recentMessages(db: Kysely<GenerationDb>, conversationId: string, limit: number): Promise<Selectable<ConversationMessagesTable>[]> {
  const rows = await db
    .selectFrom('conversationMessages')
    .selectAll()
    .where('conversationId', '=', conversationId)
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute()
  return rows.reverse()
}

export function allMessages(db: Kysely<GenerationDb>, conversationId: string): Promise<Selectable<ConversationMessagesTable>[]> {
  return db.selectFrom('conversationMessages').selectAll().where('conversationId', '=', conversationId).orderBy('seq').execute()
}

/** Appends messages after the last one (the caller holds the conversation row lock). */
export async function appendMessages(trx: Kysely<GenerationDb>, conversationId: string, messages: NewMessage[], now: Date): Promise<number> {
  const last = await trx
    .selectFrom('conversationMessages')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .where('conversationId', '=', conversationId)
    .executeTakeFirst()
  const start = Number(last?.seq ?? 0) + 1
  await trx
    .insertInto('conversationMessages')
    .values(messages.map((m, i) => ({ ...m, citations: JSON.stringify(m.citations), conversationId, seq: start + i })))
    .execute()
  await trx.updateTable('conversations').set({ updatedAt: now }).where('conversationId', '=', conversationId).execute()
  return start
}

/** Every article the bot cited in a conversation, by item id (to attribute a reaction to its slate). */
export async function citedRecommendation(db: Kysely<GenerationDb>, conversationId: string, itemId: string): Promise<string | undefined> {
  const rows = await db
    .selectFrom('conversationMessages')
    .select('citations')
    .where('conversationId', '=', conversationId)
    .where('role', '=', 'assistant')
    .orderBy('seq', 'desc')
    .execute()
  for (const r of rows) {
    for (const c of r.citations as { itemId?: string; recommendationId?: string }[]) if (c.itemId === itemId && c.recommendationId) return c.recommendationId
  }
  return undefined
}
