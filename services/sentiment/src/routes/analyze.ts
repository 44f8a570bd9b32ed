import { errors, problemResponses, ref, type ServiceApp } from '@attune/kit'
import { analyze } from '../analyzer/analyze.ts'
import type { SentimentModel } from '../analyzer/model.ts'
import { SentimentRequest, SentimentResponse } from '../schemas/analysis.ts'

export function analyzeRoutes(app: ServiceApp, deps: { model: SentimentModel }) {
  app.post(
    '/v1/sentiment',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'analyzeSentiment',
        tags: ['sentiment'],
        summary: 'Polarity and emotion of one text or a batch of up to 1,000',
        description:
          'Scores English social text in process: polarity (negative / neutral / positive, probabilities, compound in [-1, 1]) and Ekman emotion ' +
          '(anger, disgust, fear, joy, sadness, surprise, neutral). Texts in other languages come back flagged (`english: false`) and unscored. Nothing is stored.',
        body: SentimentRequest,
        response: { 200: ref(SentimentResponse), ...problemResponses },
      },
    },
    async (request) => {
      const { text, texts } = request.body
      if (text !== undefined && texts !== undefined) throw errors.invalid('/texts', 'must not be sent with text: send one text or a batch')
      if (text === undefined && texts === undefined) throw errors.invalid('/text', 'is required (or texts, for a batch)')
      return { results: (texts ?? [text as string]).map((t) => analyze(deps.model, t)) }
    },
  )
}
