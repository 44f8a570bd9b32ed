import { ExternalId } from '@attune/contracts'
import { ref } from '@attune/kit'
import { Type } from 'typebox'
import { DateTime, Provider, Text, Uuid } from './common.ts'

const Genre = Type.Enum(['fantasy', 'mystery', 'science-fiction', 'adventure'])
const Rating = Type.Enum(['all_ages', 'teen', 'mature'], { description: 'Content limit; the moderation threshold of each turn follows it' })

export const StoryInput = Type.Object(
  {
    userId: ExternalId,
    title: Text(200),
    genre: Genre,
    tone: Type.Optional(Type.Enum(['light', 'balanced', 'serious'], { description: 'Default from the user’s formality preference' })),
    rating: Rating,
    facts: Type.Array(Text(500), { maxItems: 30, default: [], description: 'World facts the story keeps to' }),
    characters: Type.Array(Type.Object({ name: Text(100), description: Text(500) }, { additionalProperties: false }), { maxItems: 12, default: [] }),
    avoidTopics: Type.Optional(Type.Array(Text(100), { maxItems: 50, description: 'Default: the user’s muted topics' })),
    opening: Type.Optional(Text(2000, 'How the reader wants it to begin')),
  },
  {
    additionalProperties: false,
    examples: [
      {
        userId: 'user-42',
        title: 'The Lantern Road',
        genre: 'fantasy',
        rating: 'all_ages',
        facts: ['Magic is fading from the kingdom'],
        characters: [{ name: 'Mira', description: 'a cartographer with a secret map' }],
      },
    ],
  },
)

const turnExample = {
  turnId: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c43',
  parentTurnId: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c42',
  depth: 1,
  inputKind: 'text',
  input: 'I follow Mira into the forest',
  narration: 'Mira lifts her lantern and the trees close in behind you.',
  options: ['Ask Mira about the map', 'Listen for the bell', 'Climb a tree to look around'],
  memory: ['The story begins at the inn.', 'Reader: I follow Mira into the forest. Mira lifts her lantern and the trees close in behind you.'],
  withheld: false,
  provider: 'openai',
  createdAt: '2026-11-25T09:01:00.000Z',
}

export const TurnSchema = Type.Object(
  {
    turnId: Uuid,
    parentTurnId: Type.Union([Uuid, Type.Null()]),
    depth: Type.Integer({ minimum: 0 }),
    inputKind: Type.Enum(['start', 'text', 'option']),
    input: Type.String(),
    narration: Type.String(),
    options: Type.Array(Type.String()),
    memory: Type.Array(Type.String(), { description: 'The running summary of this branch up to and including this turn, within the context budget' }),
    withheld: Type.Boolean({ description: 'The narration was flagged by moderation and replaced by a notice' }),
    provider: Provider,
    createdAt: DateTime,
  },
  { $id: 'StoryTurn', additionalProperties: false, examples: [turnExample] },
)

export const Story = Type.Object(
  {
    storyId: Uuid,
    userId: ExternalId,
    title: Type.String(),
    genre: Genre,
    tone: Type.String(),
    rating: Rating,
    facts: Type.Array(Type.String()),
    characters: Type.Array(Type.Object({ name: Type.String(), description: Type.String() }, { additionalProperties: false })),
    avoidTopics: Type.Array(Type.String()),
    createdAt: DateTime,
    turns: Type.Array(ref(TurnSchema), { description: 'Every turn of every branch; follow parentTurnId for a path' }),
  },
  {
    $id: 'Story',
    additionalProperties: false,
    examples: [
      {
        storyId: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c42',
        userId: 'user-42',
        title: 'The Lantern Road',
        genre: 'fantasy',
        tone: 'light',
        rating: 'all_ages',
        facts: ['Magic is fading from the kingdom'],
        characters: [{ name: 'Mira', description: 'a cartographer with a secret map' }],
        avoidTopics: [],
        createdAt: '2026-11-25T09:00:00.000Z',
        turns: [turnExample],
      },
    ],
  },
)

export const StoryParams = Type.Object({ storyId: Uuid }, { additionalProperties: false })
export const TurnParams = Type.Object({ storyId: Uuid, turnId: Uuid }, { additionalProperties: false })

export const TurnInput = Type.Object(
  {
    parentTurnId: Type.Optional(Uuid),
    text: Type.Optional(Text(2000, 'What the reader does or says')),
    option: Type.Optional(Type.Integer({ minimum: 0, maximum: 9, description: 'Index of one of the parent turn’s options' })),
  },
  {
    additionalProperties: false,
    description: 'Either `text` or `option`. `parentTurnId` (default: the latest turn) continues from any earlier turn: a branch with its own memory.',
    examples: [{ text: 'I follow Mira into the forest' }, { option: 1, parentTurnId: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c42' }],
  },
)

export const TurnPath = Type.Object(
  { turn: ref(TurnSchema), path: Type.Array(ref(TurnSchema), { description: 'From the opening turn to this one' }) },
  { $id: 'StoryTurnPath', additionalProperties: false, examples: [{ turn: turnExample, path: [turnExample] }] },
)
