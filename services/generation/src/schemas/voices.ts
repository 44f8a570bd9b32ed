import { ref } from '@attune/kit'
import { Type } from 'typebox'
import { DateTime, Text, Uuid } from './common.ts'

const Word = Type.String({ minLength: 1, maxLength: 60, pattern: '\\S' })

const voiceFields = {
  name: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S', examples: ['Daily Planet'] }),
  tone: Text(300, 'How the brand sounds, in a few words'),
  vocabulary: Type.Array(Word, { maxItems: 100, default: [], description: 'Words the brand likes to use' }),
  bannedWords: Type.Array(Word, { maxItems: 500, default: [], description: 'Words and phrases that never reach an output (redacted if the model insists)' }),
  examples: Type.Array(Text(1000), { maxItems: 20, default: [], description: 'Sample texts in the voice' }),
}

const voiceExample = {
  name: 'Daily Planet',
  tone: 'warm, witty and precise',
  vocabulary: ['scoop', 'newsroom'],
  bannedWords: ['cheap', 'clickbait'],
  examples: ['Fresh from the newsroom: the stories that matter today.'],
}

export const VoiceInput = Type.Object(voiceFields, { $id: 'BrandVoiceInput', additionalProperties: false, examples: [voiceExample] })

export const Voice = Type.Object(
  {
    voiceId: Uuid,
    ...voiceFields,
    version: Type.Integer({ minimum: 1, description: 'Bumped by every update; outputs record the version they were made with' }),
    createdAt: DateTime,
    updatedAt: DateTime,
  },
  {
    $id: 'BrandVoice',
    additionalProperties: false,
    examples: [
      {
        voiceId: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c42',
        ...voiceExample,
        version: 1,
        createdAt: '2026-11-25T09:00:00.000Z',
        updatedAt: '2026-11-25T09:00:00.000Z',
      },
    ],
  },
)

export const VoiceList = Type.Object(
  { voices: Type.Array(ref(Voice)) },
  {
    additionalProperties: false,
    examples: [
      {
        voices: [
          {
            voiceId: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c42',
            ...voiceExample,
            version: 1,
            createdAt: '2026-11-25T09:00:00.000Z',
            updatedAt: '2026-11-25T09:00:00.000Z',
          },
        ],
      },
    ],
  },
)
export const VoiceParams = Type.Object({ voiceId: Uuid }, { additionalProperties: false })
