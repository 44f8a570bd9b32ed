import { ExternalId } from '@attune/contracts'
import { Type } from 'typebox'
import { DateTime, Provider, Text, UsageSchema, Uuid } from './common.ts'

const citationExample = {
  index: 1,
  itemId: 'article-981',
  title: 'Climate summit ends with a new deal',
  recommendationId: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c45',
  why: 'Picked because it matches what you asked about (climate); because you read “Heatwave records”.',
}
const messageExample = {
  seq: 2,
  role: 'assistant',
  text: 'You might like [1] Climate summit ends with a new deal: it follows the heatwave story you read.',
  citations: [citationExample],
  provider: 'openai',
  createdAt: '2026-11-25T09:00:01.000Z',
}

export const CitationSchema = Type.Object(
  {
    index: Type.Integer({ minimum: 1, description: 'How the answer refers to it: [1], [2] …' }),
    itemId: Type.String(),
    title: Type.Union([Type.String(), Type.Null()]),
    recommendationId: Type.String({ description: 'The recommendation slate it came from: send it back with interactions' }),
    why: Type.String({ description: 'Why the bot picked it' }),
  },
  { additionalProperties: false },
)

export const MessageSchema = Type.Object(
  {
    seq: Type.Integer({ minimum: 1 }),
    role: Type.Enum(['user', 'assistant']),
    text: Type.String({ description: 'User messages are stored with personal data redacted' }),
    citations: Type.Array(CitationSchema),
    provider: Type.Union([Provider, Type.Null()]),
    createdAt: DateTime,
  },
  { additionalProperties: false },
)

export const ConversationInput = Type.Object(
  { userId: ExternalId, voiceId: Type.Optional(Uuid) },
  { additionalProperties: false, examples: [{ userId: 'user-42' }] },
)

export const Conversation = Type.Object(
  {
    conversationId: Uuid,
    userId: ExternalId,
    voiceId: Type.Union([Uuid, Type.Null()]),
    createdAt: DateTime,
    messages: Type.Array(MessageSchema),
  },
  {
    $id: 'Conversation',
    additionalProperties: false,
    examples: [
      {
        conversationId: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c42',
        userId: 'user-42',
        voiceId: null,
        createdAt: '2026-11-25T09:00:00.000Z',
        messages: [
          { seq: 1, role: 'user', text: 'Anything new on climate?', citations: [], provider: null, createdAt: '2026-11-25T09:00:01.000Z' },
          messageExample,
        ],
      },
    ],
  },
)

export const ConversationParams = Type.Object({ conversationId: Uuid }, { additionalProperties: false })

export const MessageInput = Type.Object(
  { text: Text(4000, 'What the user says') },
  { additionalProperties: false, examples: [{ text: 'Anything new on climate policy?' }] },
)

export const ChatAnswer = Type.Object(
  {
    conversationId: Uuid,
    message: MessageSchema,
    withheld: Type.Boolean({ description: 'The answer was flagged by moderation and replaced by a notice' }),
    usage: UsageSchema,
  },
  {
    $id: 'ChatAnswer',
    additionalProperties: false,
    examples: [
      { conversationId: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c42', message: messageExample, withheld: false, usage: { promptTokens: 310, completionTokens: 42 } },
    ],
    description: 'With `Accept: text/event-stream` the same comes as SSE: `citations`, `delta`…, then `done`',
  },
)

export const ReactionInput = Type.Object(
  {
    itemId: ExternalId,
    reaction: Type.Enum(['click', 'like', 'share', 'hide', 'not_interested'], { description: 'Becomes an interaction of that type on attune.interactions' }),
  },
  { additionalProperties: false, examples: [{ itemId: 'article-981', reaction: 'click' }] },
)

export const ReactionRecorded = Type.Object(
  { interactionId: Uuid, recommendationId: Type.String(), itemId: Type.String(), reaction: Type.String() },
  {
    $id: 'ReactionRecorded',
    additionalProperties: false,
    examples: [
      {
        interactionId: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c44',
        recommendationId: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c45',
        itemId: 'article-981',
        reaction: 'click',
      },
    ],
  },
)
