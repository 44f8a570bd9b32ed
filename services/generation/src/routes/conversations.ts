import { randomUUID } from 'node:crypto'
import { Topics } from '@attune/contracts'
import { errors, makeEvent, problemRef, problemResponses, ref, refuseIfErasedInFlight, type ServiceApp } from '@attune/kit'
import type { FastifyReply } from 'fastify'
import { v7 as uuidv7 } from 'uuid'
import { bannedStreamFilter } from '../domain/banned-stream.ts'
import { interactionRecorded, reactionInteraction } from '../domain/reaction-event.ts'
import { chatTurn, finishChatTurn, prepareChatTurn } from '../flows/chat-turn.ts'
import type { FlowDeps } from '../flows/deps.ts'
import { generatingResponses } from '../schemas/common.ts'
import { ChatAnswer, Conversation, ConversationInput, ConversationParams, MessageInput, ReactionInput, ReactionRecorded } from '../schemas/conversations.ts'
import { allMessages, citedRecommendation, conversationById, insertConversation } from '../store/conversations-store.ts'
import { userIdInBody } from '../store/erased-in-flight.ts'
import { getVoice } from '../store/voices-store.ts'

const scope = 'recommendations:read' as const

function sse(reply: FastifyReply, event: string, data: unknown) {
  reply.raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`)
}

export function conversationRoutes(app: ServiceApp, deps: FlowDeps) {
  const { ctx } = deps
  const tags = ['conversations']

  async function view(conversationId: string) {
    const c = await conversationById(ctx.db, conversationId)
    if (!c) throw errors.notFound('Conversation', conversationId)
    const messages = await allMessages(ctx.db, conversationId)
    return {
      conversationId: c.conversationId,
      userId: c.userId,
      voiceId: c.voiceId,
      createdAt: c.createdAt.toISOString(),
      messages: messages.map((m) => ({
        seq: m.seq,
        role: m.role,
        text: m.text,
        citations: m.citations as never[],
        provider: m.provider as 'openai' | 'offline' | null,
        createdAt: m.createdAt.toISOString(),
      })),
    }
  }

  app.post(
    '/v1/conversations',
    {
      config: { scope },
      schema: {
        operationId: 'startConversation',
        tags,
        summary: 'Start a news chat with a user',
        description:
          'A request received before its user’s erasure was asked for that reaches the store after the erasure ran is a 409 naming `/userId`, and stores nothing.',
        body: ConversationInput,
        response: { 201: ref(Conversation), 409: problemRef, ...problemResponses },
      },
    },
    async (request, reply) => {
      const now = ctx.clock()
      const { userId, voiceId } = request.body
      if (voiceId && !(await getVoice(ctx.db, voiceId))) throw errors.invalid('/voiceId', `names no brand voice (${voiceId})`)
      const conversationId = uuidv7()
      await ctx.db.transaction().execute(async (trx) => {
        await refuseIfErasedInFlight(trx, ctx.schema, [userIdInBody(userId)], now)
        await insertConversation(trx, { conversationId, userId, voiceId: voiceId ?? null, createdAt: now, updatedAt: now })
      })
      return reply.code(201).send(await view(conversationId))
    },
  )
  app.get(
    '/v1/conversations/:conversationId',
    {
      config: { scope },
      schema: {
        operationId: 'getConversation',
        tags,
        summary: 'A conversation and its messages',
        params: ConversationParams,
        response: { 200: ref(Conversation), ...problemResponses },
      },
    },
    async (request) => view(request.params.conversationId),
  )
  app.post(
    '/v1/conversations/:conversationId/messages',
    {
      config: { scope, rateLimit: { max: deps.settings.rateLimitPerMinute, timeWindow: 60_000 } },
      schema: {
        operationId: 'sendChatMessage',
        tags,
        summary: 'Say something to the news bot; it answers with personalized articles and why',
        description:
          'Asks the recommendation service for the user’s slate, cites the articles that fit the message, remembers the conversation. ' +
          'With `Accept: text/event-stream` the answer streams as SSE: `citations` first, then `delta` events ({text}), then `done` ({seq, withheld, usage}); ' +
          'a failure after the stream began is an `error` event carrying a problem, and nothing is stored.',
        params: ConversationParams,
        body: MessageInput,
        response: { 200: ref(ChatAnswer), ...generatingResponses },
      },
    },
    async (request, reply) => {
      const apiKeyName = request.apiKey?.name ?? 'anonymous'
      const { conversationId } = request.params
      if (!(request.headers.accept ?? '').includes('text/event-stream')) {
        const { turn, done, usage, provider } = await chatTurn(deps, apiKeyName, conversationId, request.body.text)
        return {
          conversationId,
          message: { seq: done.seq, role: 'assistant' as const, text: done.text, citations: turn.citations, provider, createdAt: ctx.clock().toISOString() },
          withheld: done.withheld,
          usage,
        }
      }
      const turn = await prepareChatTurn(deps, conversationId, request.body.text)
      const stream = await deps.gateway.stream({ apiKeyName, userId: turn.conversation.userId, request: turn.request })
      reply.hijack()
      reply.raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-request-id': String(request.id) })
      sse(reply, 'citations', turn.citations)
      const filter = bannedStreamFilter(turn.bannedWords)
      let answer = ''
      try {
        for await (const delta of stream.parts) {
          const safe = filter.push(delta)
          answer += safe
          if (safe) sse(reply, 'delta', { text: safe })
        }
        const rest = filter.flush()
        answer += rest
        if (rest) sse(reply, 'delta', { text: rest })
        const { usage, persist } = stream.finish()
        const done = await finishChatTurn(deps, turn, answer, deps.gateway.provider.name, persist)
        if (done.withheld) sse(reply, 'withheld', { text: done.text })
        sse(reply, 'done', { seq: done.seq, withheld: done.withheld, usage })
      } catch (err) {
        request.log.warn({ err }, 'chat stream failed')
        const status = (err as { status?: number }).status === 503 ? 503 : 502
        sse(reply, 'error', {
          type: `https://attune.dev/problems/${status === 503 ? 'unavailable' : 'bad-gateway'}`,
          title: status === 503 ? 'Service unavailable' : 'Bad gateway',
          status,
          code: status === 503 ? 'unavailable' : 'bad_gateway',
          detail: 'The answer stopped before it was complete; nothing was stored. Send the message again.',
          instance: String(request.id),
        })
      }
      reply.raw.end()
      return reply
    },
  )
  app.post(
    '/v1/conversations/:conversationId/reactions',
    {
      config: { scope },
      schema: {
        operationId: 'reactToArticle',
        tags,
        summary: 'Record what the user did with a cited article',
        description:
          'Publishes an `interaction.recorded` on attune.interactions with the slate’s recommendationId, so recommendations learn and the click is attributed.',
        params: ConversationParams,
        body: ReactionInput,
        response: { 202: ref(ReactionRecorded), ...problemResponses },
      },
    },
    async (request, reply) => {
      const { conversationId } = request.params
      const { itemId, reaction } = request.body
      const c = await conversationById(ctx.db, conversationId)
      if (!c) throw errors.notFound('Conversation', conversationId)
      const recommendationId = await citedRecommendation(ctx.db, conversationId, itemId)
      if (!recommendationId) throw errors.invalid('/itemId', 'was not cited in this conversation')
      const interactionId = randomUUID()
      const at = ctx.clock()
      await ctx.transaction(async (trx, emit) => {
        await trx
          .insertInto('conversationReactions')
          .values({ interactionId, conversationId, userId: c.userId, itemId, reaction, recommendationId, createdAt: at })
          .execute()
        const data = reactionInteraction({ interactionId, userId: c.userId, itemId, reaction, recommendationId, at, conversationId })
        await emit([
          { topic: ctx.topic(Topics.interactions), key: c.userId, event: makeEvent({ ...interactionRecorded, source: ctx.name, subject: c.userId, data }, at) },
        ])
      })
      return reply.code(202).send({ interactionId, recommendationId, itemId, reaction })
    },
  )
}
