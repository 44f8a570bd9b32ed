import type { Kysely } from 'kysely'
import type { GenerationDb } from '../db.ts'

/** Generation's `privacy.export` hook: everything `eraseUser` would delete, as JSON. */
export async function exportUser(db: Kysely<GenerationDb>, userId: string) {
  const [signals, generations, conversations, stories] = await Promise.all([
    db.selectFrom('userSignals').selectAll().where('userId', '=', userId).executeTakeFirst(),
    db.selectFrom('generations').select(['generationId', 'use', 'variants', 'why', 'createdAt']).where('userId', '=', userId).orderBy('createdAt').execute(),
    db.selectFrom('conversations').select(['conversationId', 'createdAt']).where('userId', '=', userId).orderBy('createdAt').execute(),
    db.selectFrom('stories').select(['storyId', 'title', 'genre', 'createdAt']).where('userId', '=', userId).orderBy('createdAt').execute(),
  ])
  const messages = conversations.length
    ? await db
        .selectFrom('conversationMessages')
        .select(['conversationId', 'seq', 'role', 'text', 'citations', 'createdAt'])
        .where(
          'conversationId',
          'in',
          conversations.map((c) => c.conversationId),
        )
        .orderBy('conversationId')
        .orderBy('seq')
        .execute()
    : []
  const reactions = await db
    .selectFrom('conversationReactions')
    .select(['conversationId', 'itemId', 'reaction', 'createdAt'])
    .where('userId', '=', userId)
    .execute()
  const turns = stories.length
    ? await db
        .selectFrom('storyTurns')
        .select(['storyId', 'turnId', 'parentTurnId', 'input', 'narration', 'createdAt'])
        .where(
          'storyId',
          'in',
          stories.map((s) => s.storyId),
        )
        .orderBy('createdAt')
        .execute()
    : []
  return {
    userId,
    signals: signals
      ? { languages: signals.languages, style: signals.style, mutedTopics: signals.mutedTopics, sentimentCompound: signals.sentimentCompound }
      : null,
    generations,
    conversations: conversations.map((c) => ({ ...c, messages: messages.filter((m) => m.conversationId === c.conversationId) })),
    reactions,
    stories: stories.map((s) => ({ ...s, turns: turns.filter((t) => t.storyId === s.storyId) })),
  }
}
