import type { ServiceContext } from '@attune/kit'
import type { RecommendationClient } from '../clients/recommendation-client.ts'
import type { GenerationConfig } from '../config.ts'
import type { GenerationDb } from '../db.ts'
import type { LlmGateway } from '../gateway/llm-gateway.ts'
import type { Moderate } from '../gateway/moderator.ts'
import type { GenerationMemory } from '../memory/generation-memory.ts'
import type { Settings } from '../settings.ts'

/** What every flow works with. */
export interface FlowDeps {
  ctx: ServiceContext<GenerationDb, GenerationConfig>
  settings: Settings
  gateway: LlmGateway
  moderate: Moderate
  recommendations: RecommendationClient
  memory: GenerationMemory
}
