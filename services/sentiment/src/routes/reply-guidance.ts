import { problemResponses, ref, type ServiceApp, type ServiceContext } from '@attune/kit'
import { analyze } from '../analyzer/analyze.ts'
import type { SentimentModel } from '../analyzer/model.ts'
import type { SentimentDb } from '../db.ts'
import { summarize } from '../domain/aggregate.ts'
import { replyGuidance, type UserMood } from '../domain/reply-guidance.ts'
import { windowRange, windowSpec } from '../domain/windows.ts'
import { ReplyGuidanceRequest, ReplyGuidanceResponse } from '../schemas/reply-guidance.ts'
import { bucketsOf } from '../store/buckets-store.ts'

export function replyGuidanceRoutes(app: ServiceApp, ctx: ServiceContext<SentimentDb>, deps: { model: SentimentModel }) {
  app.post(
    '/v1/sentiment/reply-guidance',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'getReplyGuidance',
        tags: ['sentiment'],
        summary: 'An empathetic reply: detected emotion, a tone to take and a suggested reply',
        description:
          'With `userId`, the user’s mood over the last 7 days shapes the guidance. Replies come from built-in templates (`source: templates`) until a generation service is deployed.',
        body: ReplyGuidanceRequest,
        response: { 200: ref(ReplyGuidanceResponse), ...problemResponses },
      },
    },
    async (request) => {
      const { text, userId } = request.body
      const a = analyze(deps.model, text)
      let mood: UserMood | undefined
      if (userId) {
        const { from, to } = windowRange(ctx.clock(), windowSpec['7d'].ms)
        const s = summarize(await bucketsOf(ctx.db, 'user', userId, from, to), from, to, windowSpec['7d'].stepMs)
        mood = { averageCompound: s.averageCompound, total: s.total }
      }
      const g = replyGuidance(text, a, mood)
      return {
        language: a.language,
        english: a.english,
        emotion: a.emotion?.label ?? 'neutral',
        polarity: a.polarity?.label ?? 'neutral',
        compound: a.polarity?.compound ?? 0,
        ...g,
        userMood: mood ?? null,
      }
    },
  )
}
