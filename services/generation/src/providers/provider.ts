import type { GenerationUse } from '@attune/contracts'
import type { Citation } from '../domain/chat-articles.ts'
import type { ModerationVerdict } from '../domain/moderation.ts'
import type { ChatMessage } from '../domain/prompt.ts'
import type { StyleFeatures } from '../domain/style.ts'
import type { Usage } from '../domain/usage.ts'
import type { BrandVoice } from '../domain/voice.ts'

export type ProviderName = 'openai' | 'offline'

/**
 * What the request is for, in structured form. A model reads the prompt; the offline provider
 * cannot, so it writes from this instead.
 */
export type Brief =
  | { kind: 'generate'; use: GenerationUse; topic: string; keyPoints: string[]; replyTo?: string; style: StyleFeatures; voice?: BrandVoice }
  | { kind: 'chat'; message: string; citations: Citation[]; style: StyleFeatures }
  | { kind: 'story'; genre: string; tone: string; input: string; memory: string[]; characters: string[]; turn: number; style: StyleFeatures }

export interface JsonOutput {
  name: string
  schema: Record<string, unknown>
}

export interface CompletionRequest {
  model: string
  messages: ChatMessage[]
  /** Variants wanted (A/B tests). */
  n: number
  temperature: number
  maxTokens: number
  /** Structured output: the answer must be JSON matching the schema. */
  json?: JsonOutput
  brief: Brief
}

export interface Completion {
  texts: string[]
  usage: Usage
  model: string
  provider: ProviderName
}

export type StreamPart = { delta: string } | { usage: Usage }

/** A text generator: the `openai` SDK against an OpenAI-compatible endpoint, or the offline templates. */
export interface Provider {
  readonly name: ProviderName
  complete(req: CompletionRequest): Promise<Completion>
  /** The answer as it is written; ends with a usage part. */
  stream(req: Omit<CompletionRequest, 'n'>): AsyncIterable<StreamPart>
  /** The provider's moderation endpoint, when it has one. */
  moderate?(texts: string[]): Promise<ModerationVerdict[]>
}
