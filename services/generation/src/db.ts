import type { GenerationUse, ReviewStatus } from '@attune/contracts'
import type { KitTables } from '@attune/kit'
import type { ColumnType, Generated } from 'kysely'

type Json<T> = ColumnType<T, string, string>

/** What generation mirrors about a user from `attune.profiles` (preferences) and `attune.sentiment`. */
export interface UserSignalsTable {
  userId: string
  languages: Generated<string[]>
  style: ColumnType<Record<string, string> | null, string | null | undefined, string | null>
  mutedTopics: Generated<string[]>
  preferencesAt: Date | null
  sentimentCompound: number | null
  sentimentAt: Date | null
}

export interface BrandVoicesTable {
  voiceId: string
  name: string
  tone: string
  vocabulary: string[]
  bannedWords: string[]
  examples: string[]
  version: number
  createdAt: Date
  updatedAt: Date
}

/** Moderation and review thresholds per use (a use without a row has the defaults). */
export interface ReviewPoliciesTable {
  use: string
  flagThreshold: number
  blockThreshold: number
  reviewPublished: boolean
  updatedAt: Date
}

export interface StoredVariant {
  index: number
  text: string
  moderationScore: number
  flagged: boolean
  categories: string[]
  bannedRedacted: string[]
  regenerated: boolean
}

export interface GenerationsTable {
  generationId: string
  apiKeyName: string
  userId: string | null
  use: GenerationUse
  voiceId: string | null
  voiceVersion: number | null
  templateId: string
  templateVersion: number
  provider: string
  model: string
  cached: boolean
  promptTokens: number
  completionTokens: number
  variants: Json<StoredVariant[]>
  why: Json<Record<string, unknown>>
  createdAt: Date
}

export interface ReviewsTable {
  reviewId: string
  generationId: string
  status: ReviewStatus
  reasons: string[]
  variantIndex: number | null
  finalText: string | null
  reviewer: string | null
  decidedAt: Date | null
  createdAt: Date
}

export interface ReviewAuditTable {
  id: Generated<number>
  reviewId: string
  action: 'created' | 'approved' | 'edited' | 'rejected'
  actor: string
  note: string | null
  text: string | null
  at: Date
}

export interface TokenUsageTable {
  apiKeyName: string
  day: string
  /** One of USAGE_SHARDS rows per key and day; usage is their sum. */
  shard: number
  requests: number
  promptTokens: number
  completionTokens: number
}

export interface PromptCacheTable {
  cacheKey: string
  userId: string | null
  provider: string
  model: string
  texts: Json<string[]>
  promptTokens: number
  completionTokens: number
  expiresAt: Date
}

export interface ConversationsTable {
  conversationId: string
  userId: string
  voiceId: string | null
  createdAt: Date
  updatedAt: Date
}

export interface ConversationMessagesTable {
  conversationId: string
  seq: number
  role: 'user' | 'assistant'
  text: string
  citations: Json<unknown[]>
  provider: string | null
  createdAt: Date
}

export interface ConversationReactionsTable {
  interactionId: string
  conversationId: string
  userId: string
  itemId: string
  reaction: string
  recommendationId: string | null
  createdAt: Date
}

export interface StoriesTable {
  storyId: string
  userId: string
  title: string
  genre: string
  tone: string
  rating: 'all_ages' | 'teen' | 'mature'
  facts: string[]
  characters: Json<{ name: string; description: string }[]>
  avoidTopics: string[]
  createdAt: Date
}

export interface StoryTurnsTable {
  turnId: string
  storyId: string
  parentTurnId: string | null
  depth: number
  inputKind: 'start' | 'text' | 'option'
  input: string
  narration: string
  options: string[]
  memory: string[]
  withheld: boolean
  provider: string
  createdAt: Date
}

/** Tables in the `generation` schema. */
export interface GenerationDb extends KitTables {
  userSignals: UserSignalsTable
  brandVoices: BrandVoicesTable
  reviewPolicies: ReviewPoliciesTable
  generations: GenerationsTable
  reviews: ReviewsTable
  reviewAudit: ReviewAuditTable
  tokenUsage: TokenUsageTable
  promptCache: PromptCacheTable
  conversations: ConversationsTable
  conversationMessages: ConversationMessagesTable
  conversationReactions: ConversationReactionsTable
  stories: StoriesTable
  storyTurns: StoryTurnsTable
}
