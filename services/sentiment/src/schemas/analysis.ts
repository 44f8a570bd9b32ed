import { type Static, Type } from 'typebox'

const Probability = Type.Number({ minimum: 0, maximum: 1 })
const PolarityLabel = Type.Union([Type.Literal('negative'), Type.Literal('neutral'), Type.Literal('positive')])
export const EmotionLabel = Type.Union([
  Type.Literal('anger'),
  Type.Literal('disgust'),
  Type.Literal('fear'),
  Type.Literal('joy'),
  Type.Literal('sadness'),
  Type.Literal('surprise'),
  Type.Literal('neutral'),
])

export const PolarityResult = Type.Object(
  {
    label: PolarityLabel,
    compound: Type.Number({ minimum: -1, maximum: 1, description: 'P(positive) − P(negative)' }),
    probabilities: Type.Object({ negative: Probability, neutral: Probability, positive: Probability }, { additionalProperties: false }),
  },
  { additionalProperties: false },
)

export const EmotionResult = Type.Object(
  {
    label: EmotionLabel,
    probabilities: Type.Object(
      { anger: Probability, disgust: Probability, fear: Probability, joy: Probability, sadness: Probability, surprise: Probability, neutral: Probability },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
)

export const Cues = Type.Object(
  {
    negation: Type.Boolean({ description: 'A negation flips part of the text' }),
    sarcasm: Type.Boolean({ description: 'A sarcasm marker (/s, "yeah right", 🙄 …) was found; positive readings are turned down' }),
    emoji: Type.Integer({ minimum: 0, description: 'Emoji and emoticons' }),
    shouting: Type.Boolean({ description: 'Words in capitals within lowercase text' }),
    elongation: Type.Boolean({ description: 'Stretched words ("soooo")' }),
    mixed: Type.Boolean({ description: 'Clearly positive and clearly negative words together' }),
    lexiconCompound: Type.Number({ minimum: -1, maximum: 1, description: 'The rule-based (VADER-style) score alone' }),
  },
  { additionalProperties: false },
)

export const Analysis = Type.Object(
  {
    language: Type.String({ description: 'ISO 639-3 code (`eng`), `und` when too short to tell', examples: ['eng'] }),
    english: Type.Boolean({ description: 'False for a text in another language: it is flagged, not scored (polarity and emotion are null)' }),
    polarity: Type.Union([PolarityResult, Type.Null()]),
    emotion: Type.Union([EmotionResult, Type.Null()]),
    cues: Cues,
  },
  { additionalProperties: false },
)
export type Analysis = Static<typeof Analysis>

const analysisExample = {
  language: 'eng',
  english: true,
  polarity: { label: 'negative', compound: -0.81, probabilities: { negative: 0.86, neutral: 0.09, positive: 0.05 } },
  emotion: { label: 'anger', probabilities: { anger: 0.71, disgust: 0.08, fear: 0.02, joy: 0.03, sadness: 0.09, surprise: 0.02, neutral: 0.05 } },
  cues: { negation: true, sarcasm: false, emoji: 1, shouting: true, elongation: false, mixed: false, lexiconCompound: -0.66 },
}

const Text = Type.String({ minLength: 1, maxLength: 10000, pattern: '\\S', description: 'Up to 10,000 characters, not blank' })

export const SentimentRequest = Type.Object(
  {
    text: Type.Optional(Text),
    texts: Type.Optional(Type.Array(Text, { minItems: 1, maxItems: 1000, description: 'A batch of up to 1,000 texts' })),
  },
  {
    additionalProperties: false,
    // "Exactly one of" is checked by the route, so the problem names the field (a JSON Schema
    // min/maxProperties or oneOf error would point at the whole body).
    description: 'Either `text` (one) or `texts` (a batch), not both',
    examples: [{ text: "Still NOT fixed after 3 weeks. I can't believe this 😡" }, { texts: ['love it!!! 😍', 'meh'] }],
  },
)
export type SentimentRequest = Static<typeof SentimentRequest>

export const SentimentResponse = Type.Object(
  { results: Type.Array(Analysis, { description: 'One per text, in order' }) },
  { $id: 'SentimentResults', additionalProperties: false, examples: [{ results: [analysisExample] }] },
)
