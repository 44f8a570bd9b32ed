import type { ServiceDefinition } from '@attune/kit'
import { migrations } from '../migrations/index.ts'
import { recommendationClient } from './clients/recommendation-client.ts'
import { type GenerationConfig, GenerationConfigSchema } from './config.ts'
import { preferencesConsumer } from './consumers/preferences-consumer.ts'
import { sentimentConsumer } from './consumers/sentiment-consumer.ts'
import type { GenerationDb } from './db.ts'
import type { FlowDeps } from './flows/deps.ts'
import { createGateway } from './gateway/llm-gateway.ts'
import { createModerator } from './gateway/moderator.ts'
import { erasureListener } from './listeners/erasure-listener.ts'
import { memoryFor } from './memory/generation-memory.ts'
import { offlineProvider } from './providers/offline-provider.ts'
import { openAiProvider } from './providers/openai-provider.ts'
import type { Provider } from './providers/provider.ts'
import { conversationRoutes } from './routes/conversations.ts'
import { generateRoutes } from './routes/generate.ts'
import { policyRoutes } from './routes/policies.ts'
import { generationErrorHandler } from './routes/provider-errors.ts'
import { reviewRoutes } from './routes/reviews.ts'
import { storyRoutes } from './routes/stories.ts'
import { voiceRoutes } from './routes/voices.ts'
import { ChatAnswer, Conversation, ReactionRecorded } from './schemas/conversations.ts'
import { Generation } from './schemas/generate.ts'
import { Policy, Review, ReviewPage, UsageReport } from './schemas/reviews.ts'
import { Story, TurnPath, TurnSchema } from './schemas/stories.ts'
import { Voice, VoiceInput } from './schemas/voices.ts'
import { resolveSettings, type Settings } from './settings.ts'
import { purgeCache } from './store/cache-store.ts'
import { eraseUser } from './store/erase-user.ts'
import { exportUser } from './store/export-user.ts'

/** The provider the settings ask for: the `openai` SDK with a key, the offline templates without. */
export function providerFor(s: Settings): Provider {
  if (s.provider.kind === 'offline') return offlineProvider()
  return openAiProvider({
    apiKey: s.provider.apiKey,
    timeoutMs: s.provider.timeoutMs,
    maxRetries: s.provider.maxRetries,
    ...(s.provider.baseURL ? { baseURL: s.provider.baseURL } : {}),
    ...(s.moderation === 'provider' ? { moderationModel: s.moderationModel } : {}),
  })
}

/** Generation: the LLM gateway, adaptive language, brand voices, moderation and review, the news chatbot and interactive stories. */
export const generation: ServiceDefinition<GenerationDb, GenerationConfig> = {
  name: 'generation',
  version: '0.1.0',
  description:
    'Text written for each user in the language and style that fits them (an LLM gateway over any OpenAI-compatible endpoint, or offline templates), brand voices, moderation and a human review queue, a news chatbot and interactive storytelling.',
  tags: [
    { name: 'generate', description: 'Posts, captions, replies, notifications and ad copy, adapted to the user, with the why' },
    { name: 'voices', description: 'Brand voices: tone, vocabulary, banned words, examples' },
    { name: 'reviews', description: 'The human review queue, its audit log and the thresholds per use' },
    { name: 'conversations', description: 'The news chatbot: personalized articles, explained, streamed' },
    { name: 'stories', description: 'Interactive storytelling with branches and a running memory' },
  ],
  migrations,
  configSchema: GenerationConfigSchema,
  schemas: [VoiceInput, Voice, Generation, Review, ReviewPage, Policy, UsageReport, Conversation, ChatAnswer, ReactionRecorded, Story, TurnSchema, TurnPath],
  async routes(app, ctx) {
    const settings = resolveSettings(ctx.config)
    const provider = providerFor(settings)
    const memory = memoryFor(ctx)
    const deps: FlowDeps = {
      ctx,
      settings,
      gateway: createGateway({ provider, db: ctx.db, settings, clock: ctx.clock, spend: memory.spend, outputs: memory.outputs }),
      moderate: createModerator(provider, settings.moderation),
      recommendations: recommendationClient(settings.recommendation),
      memory,
    }
    ctx.log.info({ provider: provider.name, moderation: settings.moderation }, 'generation provider ready')
    // One scope, so upstream failures render as 502/503 problems for these routes only.
    await app.register(async (scope) => {
      scope.setErrorHandler(generationErrorHandler)
      // Outputs not written yet are written before the database closes.
      scope.addHook('onClose', () => memory.close())
      voiceRoutes(scope, ctx, memory)
      generateRoutes(scope, deps)
      reviewRoutes(scope, ctx)
      policyRoutes(scope, ctx, settings, memory)
      conversationRoutes(scope, deps)
      storyRoutes(scope, deps)
    })
  },
  consumers: () => [preferencesConsumer, sentimentConsumer],
  listeners: (ctx) => [erasureListener(memoryFor(ctx))],
  privacy: { erase: eraseUser, export: exportUser },
  jobs: (ctx) => [{ name: 'prompt-cache-purge', intervalMs: 3_600_000, run: () => purgeCache(ctx.db, ctx.clock()) }],
}
