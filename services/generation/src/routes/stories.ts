import { erasedInFlight, errors, problemRef, problemResponses, ref, type ServiceApp } from '@attune/kit'
import { v7 as uuidv7 } from 'uuid'
import type { StoryTurnsTable } from '../db.ts'
import type { FlowDeps } from '../flows/deps.ts'
import { composeTurn, readTurnInput } from '../flows/story-turn.ts'
import { generatingResponses } from '../schemas/common.ts'
import { Story, StoryInput, StoryParams, TurnInput, TurnParams, TurnPath, TurnSchema } from '../schemas/stories.ts'
import { userIdInBody } from '../store/erased-in-flight.ts'
import { signalsOf } from '../store/signals-store.ts'
import { insertStory, insertTurn, latestTurn, storyById, turnById, turnsOf } from '../store/stories-store.ts'

const scope = 'recommendations:read' as const

function turnView(t: StoryTurnsTable) {
  return { ...t, provider: t.provider as 'openai' | 'offline', createdAt: t.createdAt.toISOString() }
}

export function storyRoutes(app: ServiceApp, deps: FlowDeps) {
  const { ctx } = deps
  const tags = ['stories']
  const rateLimit = { max: deps.settings.rateLimitPerMinute, timeWindow: 60_000 }

  async function loadStory(storyId: string) {
    const s = await storyById(ctx.db, storyId)
    if (!s) throw errors.notFound('Story', storyId)
    return s
  }
  async function view(storyId: string) {
    const s = await loadStory(storyId)
    const turns = await turnsOf(ctx.db, storyId)
    const { storyId: id, userId, title, genre, tone, rating, facts, characters, avoidTopics, createdAt } = s
    return {
      storyId: id,
      userId,
      title,
      genre: genre as 'fantasy',
      tone,
      rating,
      facts,
      characters,
      avoidTopics,
      createdAt: createdAt.toISOString(),
      turns: turns.map(turnView),
    }
  }

  app.post(
    '/v1/stories',
    {
      config: { scope, rateLimit },
      schema: {
        operationId: 'startStory',
        tags,
        summary: 'Start an interactive story (with its opening turn)',
        description:
          'World facts and characters stay in every prompt; tone defaults from the user’s formality and topics to avoid from their muted topics. The rating sets how strict moderation is on every turn. ' +
          'A request received before its user’s erasure was asked for that reaches the store after the erasure ran is a 409 naming `/userId`, and stores no story (the tokens spent still count against the key’s budget).',
        body: StoryInput,
        response: { 201: ref(Story), 409: problemRef, ...generatingResponses },
      },
    },
    async (request, reply) => {
      const receivedAt = ctx.clock()
      const b = request.body
      const signals = await signalsOf(ctx.db, b.userId)
      const formality = signals?.style?.formality
      const story = {
        storyId: uuidv7(),
        userId: b.userId,
        title: b.title,
        genre: b.genre,
        tone: b.tone ?? (formality === 'casual' ? 'light' : formality === 'formal' ? 'serious' : 'balanced'),
        rating: b.rating,
        facts: b.facts,
        characters: b.characters,
        avoidTopics: b.avoidTopics ?? signals?.mutedTopics ?? [],
        createdAt: ctx.clock(),
      }
      const { turn, persist } = await composeTurn(deps, request.apiKey?.name ?? 'anonymous', story, undefined, {
        kind: 'start',
        text: b.opening ?? '',
        field: '/opening',
      })
      // The model answered seconds after the request arrived: the user may have been erased meanwhile.
      const refused = await ctx.db.transaction().execute(async (trx) => {
        const refusal = await erasedInFlight(trx, ctx.schema, [userIdInBody(b.userId)], receivedAt)
        await persist(trx)
        if (refusal) return refusal
        await insertStory(trx, story)
        await insertTurn(trx, turn)
        return undefined
      })
      if (refused) throw refused
      return reply.code(201).send(await view(story.storyId))
    },
  )
  app.get(
    '/v1/stories/:storyId',
    {
      config: { scope },
      schema: {
        operationId: 'getStory',
        tags,
        summary: 'A story and all its turns (every branch)',
        params: StoryParams,
        response: { 200: ref(Story), ...problemResponses },
      },
    },
    async (request) => view(request.params.storyId),
  )
  app.post(
    '/v1/stories/:storyId/turns',
    {
      config: { scope, rateLimit },
      schema: {
        operationId: 'takeStoryTurn',
        tags,
        summary: 'Continue the story: write what happens, or pick an option; fork from any earlier turn',
        description:
          'Without `parentTurnId` the latest turn is continued. With an earlier turn, a new branch starts there and carries only that turn’s memory.',
        params: StoryParams,
        body: TurnInput,
        response: { 201: ref(TurnSchema), ...generatingResponses },
      },
    },
    async (request, reply) => {
      const { storyId } = request.params
      const s = await loadStory(storyId)
      const parentId = request.body.parentTurnId
      const parent = parentId ? await turnById(ctx.db, storyId, parentId) : await latestTurn(ctx.db, storyId)
      if (parentId && !parent) throw errors.invalid('/parentTurnId', `is not a turn of story ${storyId}`)
      const input = readTurnInput(request.body, parent)
      const { turn, persist } = await composeTurn(deps, request.apiKey?.name ?? 'anonymous', s, parent, input)
      await ctx.db.transaction().execute(async (trx) => {
        await persist(trx)
        await insertTurn(trx, turn)
      })
      return reply.code(201).send(turnView(turn))
    },
  )
  app.get(
    '/v1/stories/:storyId/turns/:turnId',
    {
      config: { scope },
      schema: {
        operationId: 'getStoryTurn',
        tags,
        summary: 'A turn with its path from the opening',
        params: TurnParams,
        response: { 200: ref(TurnPath), ...problemResponses },
      },
    },
    async (request) => {
      const { storyId, turnId } = request.params
      const turns = await turnsOf(ctx.db, storyId)
      const byId = new Map(turns.map((t) => [t.turnId, t]))
      const turn = byId.get(turnId)
      if (!turn) throw errors.notFound('Story turn', turnId)
      const path: StoryTurnsTable[] = []
      for (let t: StoryTurnsTable | undefined = turn; t; t = t.parentTurnId ? byId.get(t.parentTurnId) : undefined) path.unshift(t)
      return { turn: turnView(turn), path: path.map(turnView) }
    },
  )
}
