import { ExternalId } from '@attune/contracts'
import { type Static, Type } from 'typebox'
import { EmotionLabel } from './analysis.ts'

export const ReplyGuidanceRequest = Type.Object(
  {
    text: Type.String({ minLength: 1, maxLength: 10000, pattern: '\\S', description: 'The message to answer' }),
    userId: Type.Optional(ExternalId),
  },
  { additionalProperties: false, examples: [{ text: 'My order is STILL not here after two weeks. Ridiculous.', userId: 'user-42' }] },
)
export type ReplyGuidanceRequest = Static<typeof ReplyGuidanceRequest>

export const ReplyGuidanceResponse = Type.Object(
  {
    language: Type.String(),
    english: Type.Boolean({ description: 'False: the text is in another language; the reply is a neutral English template' }),
    emotion: EmotionLabel,
    polarity: Type.Union([Type.Literal('negative'), Type.Literal('neutral'), Type.Literal('positive')]),
    compound: Type.Number({ minimum: -1, maximum: 1 }),
    tone: Type.Union([
      Type.Literal('apologetic'),
      Type.Literal('reassuring'),
      Type.Literal('empathetic'),
      Type.Literal('appreciative'),
      Type.Literal('clarifying'),
      Type.Literal('respectful'),
      Type.Literal('friendly'),
      Type.Literal('sincere'),
    ]),
    guidance: Type.String({ description: 'How to write the reply' }),
    reply: Type.String({ description: 'A suggested reply' }),
    escalate: Type.Boolean({ description: 'Suggest a person takes over (angry and shouting, or a user unhappy for a while)' }),
    source: Type.Union([Type.Literal('templates'), Type.Literal('generation')], {
      description: '`templates` (built in) or `generation` (the generation service, when deployed)',
    }),
    userMood: Type.Union(
      [
        Type.Object({ averageCompound: Type.Union([Type.Number(), Type.Null()]), total: Type.Integer({ minimum: 0 }) }, { additionalProperties: false }),
        Type.Null(),
      ],
      { description: "The user's scored texts over the last 7 days, when a userId was given" },
    ),
  },
  {
    $id: 'ReplyGuidance',
    additionalProperties: false,
    examples: [
      {
        language: 'eng',
        english: true,
        emotion: 'anger',
        polarity: 'negative',
        compound: -0.83,
        tone: 'apologetic',
        guidance: 'Acknowledge the frustration first, apologise without excuses, say what happens next. No jokes, no emoji.',
        reply: "We're sorry about this, and we understand why you're frustrated. We're looking into it now and will come back to you with what we find.",
        escalate: true,
        source: 'templates',
        userMood: { averageCompound: -0.41, total: 5 },
      },
    ],
  },
)
