import { errors } from '@attune/kit'
import type { Kysely } from 'kysely'
import type { ConversationsTable, GenerationDb } from '../db.ts'
import { bannedStreamFilter } from '../domain/banned-stream.ts'
import { articlesForPrompt, type Citation, pickArticles } from '../domain/chat-articles.ts'
import { buildPrompt, type ChatMessage } from '../domain/prompt.ts'
import { resolveStyle } from '../domain/style.ts'
import { templateFor } from '../domain/templates.ts'
import type { Usage } from '../domain/usage.ts'
import type { CompletionRequest, ProviderName } from '../providers/provider.ts'
import { appendMessages, conversationById, recentMessages } from '../store/conversations-store.ts'
import { policyFor } from '../store/policies-store.ts'
import { signalsOf } from '../store/signals-store.ts'
import { getVoice } from '../store/voices-store.ts'
import type { FlowDeps } from './deps.ts'
import { guardInput } from './input-guard.ts'

/** Articles the recommendation service is asked for; the best-matching few are cited. */
const SLATE_SIZE = 10
const CITED = 3
const HISTORY = 10
export const WITHHELD_ANSWER = 'This answer was withheld by moderation. The articles picked for you are listed below.'

export interface PreparedTurn {
  conversation: ConversationsTable
  userText: string
  citations: Citation[]
  request: Omit<CompletionRequest, 'n'>
  bannedWords: string[]
  flagThreshold: number
}

/** Everything before the provider: input guard, the user's slate from the recommendation service, the prompt. */
export async function prepareChatTurn(deps: FlowDeps, conversationId: string, text: string): Promise<PreparedTurn> {
  const { ctx, memory } = deps
  const conversation = await conversationById(ctx.db, conversationId)
  if (!conversation) throw errors.notFound('Conversation', conversationId)
  const [policy, signals, voice, history] = await Promise.all([
    // The read caches generate uses: a turn reads no policy or voice row, and the prompt cache
    // (domain/prompt.ts, keyed by the voice object) builds the system message once per voice.
    memory.policies.get('chat', () => policyFor(ctx.db, 'chat')),
    signalsOf(ctx.db, conversation.userId),
    conversation.voiceId ? memory.voices.get(conversation.voiceId, () => getVoice(ctx.db, conversation.voiceId as string)) : undefined,
    recentMessages(ctx.db, conversationId, HISTORY),
  ])
  const guarded = await guardInput(deps.moderate, [{ field: '/text', text }], policy.blockThreshold)
  const userText = guarded.texts[0] as string
  const slate = await deps.recommendations.forUser(conversation.userId, SLATE_SIZE)
  // Earlier user messages count too ("more like that"), the latest most.
  const earlier = history
    .filter((m) => m.role === 'user')
    .map((m) => m.text)
    .slice(-2)
    .join(' ')
  const citations = pickArticles(userText, slate.articles, CITED, slate.recommendationId, earlier)
  const { style } = resolveStyle(signals, {})
  const past: ChatMessage[] = history.map((m) => ({ role: m.role, content: m.text }))
  return {
    conversation,
    userText,
    citations,
    bannedWords: voice?.bannedWords ?? [],
    flagThreshold: policy.flagThreshold,
    request: {
      model: deps.settings.models('chat'),
      messages: buildPrompt(templateFor('chat'), { message: userText, articles: articlesForPrompt(citations, slate.articles) }, style, voice, past),
      temperature: 0.5,
      maxTokens: 500,
      brief: { kind: 'chat', message: userText, citations, style },
    },
  }
}

export interface FinishedTurn {
  seq: number
  text: string
  withheld: boolean
}

/** After the provider: moderation of the answer, then the user message and the answer stored together. */
export async function finishChatTurn(
  deps: FlowDeps,
  turn: PreparedTurn,
  answer: string,
  provider: ProviderName,
  persist: (trx: Kysely<GenerationDb>) => Promise<void>,
): Promise<FinishedTurn> {
  const [verdict] = await deps.moderate([answer])
  const withheld = (verdict?.score ?? 0) >= turn.flagThreshold
  const text = withheld ? WITHHELD_ANSWER : answer
  const now = deps.ctx.clock()
  const seq = await deps.ctx.db.transaction().execute(async (trx) => {
    // Locks the conversation so concurrent turns number their messages in order.
    await conversationById(trx, turn.conversation.conversationId, true)
    await persist(trx)
    const first = await appendMessages(
      trx,
      turn.conversation.conversationId,
      [
        { role: 'user', text: turn.userText, citations: [], provider: null, createdAt: now },
        { role: 'assistant', text, citations: turn.citations, provider, createdAt: now },
      ],
      now,
    )
    return first + 1
  })
  return { seq, text, withheld }
}

/** A whole turn without streaming. */
export async function chatTurn(deps: FlowDeps, apiKeyName: string, conversationId: string, text: string) {
  const turn = await prepareChatTurn(deps, conversationId, text)
  const r = await deps.gateway.complete({ apiKeyName, userId: turn.conversation.userId, request: { ...turn.request, n: 1 }, cache: false })
  const filter = bannedStreamFilter(turn.bannedWords)
  const answer = filter.push(r.completion.texts[0] ?? '') + filter.flush()
  const done = await finishChatTurn(deps, turn, answer, r.completion.provider, r.persist)
  return { turn, done, usage: r.completion.usage as Usage, provider: r.completion.provider }
}
