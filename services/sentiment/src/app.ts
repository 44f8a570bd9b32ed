import type { ServiceDefinition } from '@attune/kit'
import { migrations } from '../migrations/index.ts'
import type { SentimentModel } from './analyzer/model.ts'
import { type SentimentConfig, SentimentConfigSchema } from './config.ts'
import { commentsConsumer } from './consumers/comments-consumer.ts'
import { itemsConsumer } from './consumers/items-consumer.ts'
import type { RecordDeps } from './consumers/record-scores.ts'
import type { SentimentDb } from './db.ts'
import { defaultSpikeOptions } from './domain/spikes.ts'
import { loadCommittedModel } from './model-files.ts'
import { aggregateRoutes } from './routes/aggregates.ts'
import { alertRoutes } from './routes/alerts.ts'
import { analyzeRoutes } from './routes/analyze.ts'
import { replyGuidanceRoutes } from './routes/reply-guidance.ts'
import { SentimentAggregate } from './schemas/aggregates.ts'
import { SpikeAlertList } from './schemas/alerts.ts'
import { SentimentResponse } from './schemas/analysis.ts'
import { ReplyGuidanceResponse } from './schemas/reply-guidance.ts'
import { eraseUser } from './store/erase-user.ts'
import { exportUser } from './store/privacy-export-store.ts'

/** Builds the definition around a model loader (the committed model by default; loaded once, on first use). */
export function sentimentService(load: () => SentimentModel = loadCommittedModel): ServiceDefinition<SentimentDb, SentimentConfig> {
  let model: SentimentModel | undefined
  const getModel = () => {
    model ??= load()
    return model
  }
  return {
    name: 'sentiment',
    version: '0.1.0',
    description: 'Polarity and emotion of social text, per item, author, topic and user over time, negative-spike alerts and empathetic reply guidance.',
    tags: [
      { name: 'sentiment', description: 'Score texts and get reply guidance' },
      { name: 'aggregates', description: 'Sentiment per item, author, topic and user over time' },
      { name: 'alerts', description: 'Sudden rises of negative sentiment' },
    ],
    migrations,
    configSchema: SentimentConfigSchema,
    schemas: [SentimentResponse, SentimentAggregate, SpikeAlertList, ReplyGuidanceResponse],
    routes(app, ctx) {
      const m = getModel()
      analyzeRoutes(app, { model: m })
      aggregateRoutes(app, ctx)
      alertRoutes(app, ctx)
      replyGuidanceRoutes(app, ctx, { model: m })
    },
    consumers(ctx) {
      const spikes = {
        ...defaultSpikeOptions,
        minNegative: ctx.config.SPIKE_MIN_NEGATIVE ?? defaultSpikeOptions.minNegative,
        windowMs: (ctx.config.SPIKE_WINDOW_MINUTES ?? 60) * 60_000,
        baselineMs: 24 * 3_600_000,
      }
      const record = (now: Date): RecordDeps => ({ topic: ctx.topic('sentiment'), source: ctx.name, now, spikes })
      const deps = { model: getModel(), record, clock: ctx.clock }
      return [itemsConsumer(deps), commentsConsumer(deps)]
    },
    privacy: { erase: eraseUser, export: exportUser },
  }
}

/** Sentiment: scores comments and posts, aggregates them, alerts on negative spikes, suggests replies. */
export const sentiment = sentimentService()
