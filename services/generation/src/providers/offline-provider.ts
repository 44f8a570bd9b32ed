import { estimatePromptTokens, estimateTokens } from '../domain/usage.ts'
import { composeChat } from './offline/compose-chat.ts'
import { composeGenerate } from './offline/compose-generate.ts'
import { composeStory } from './offline/compose-story.ts'
import type { Brief, Completion, CompletionRequest, Provider, StreamPart } from './provider.ts'

export const OFFLINE_MODEL = 'attune-offline-templates-1'

function compose(brief: Brief, variant: number): string {
  if (brief.kind === 'generate') return composeGenerate(brief, variant)
  if (brief.kind === 'chat') return composeChat(brief)
  return composeStory(brief)
}

/**
 * The provider when no OpenAI key is configured (embedded mode, tests): rule-based text from
 * templates, deterministic, marked `[offline]`. Token usage is estimated so budgets still apply.
 */
export function offlineProvider(): Provider {
  return {
    name: 'offline',
    async complete(req: CompletionRequest): Promise<Completion> {
      const texts = Array.from({ length: req.n }, (_, i) => compose(req.brief, i))
      const prompt = estimatePromptTokens(req.messages)
      return {
        texts,
        usage: { promptTokens: prompt, completionTokens: texts.reduce((n, t) => n + estimateTokens(t), 0) },
        model: OFFLINE_MODEL,
        provider: 'offline',
      }
    },
    async *stream(req): AsyncIterable<StreamPart> {
      const text = compose(req.brief, 0)
      for (const part of text.match(/\S+\s*|\s+/g) ?? []) yield { delta: part }
      yield { usage: { promptTokens: estimatePromptTokens(req.messages), completionTokens: estimateTokens(text) } }
    },
  }
}
