import { type BaseConfig, extendConfig } from '@attune/kit'
import { Type } from 'typebox'

const Mode = (values: string[], description: string) =>
  Type.Optional(
    Type.Union(
      values.map((v) => Type.Literal(v)),
      { description },
    ),
  )

/** The kit's variables plus generation's own (read once, by the host). All optional: unset means the defaults in `settings.ts`. */
export const GenerationConfigSchema = extendConfig({
  OPENAI_API_KEY: Type.Optional(Type.String({ minLength: 1, description: 'Key for the OpenAI-compatible endpoint; unset = the offline template provider' })),
  OPENAI_BASE_URL: Type.Optional(
    Type.String({ pattern: '^https?://', description: 'OpenAI-compatible base URL (Ollama, vLLM, llama.cpp …), e.g. http://ollama:11434/v1' }),
  ),
  OPENAI_MODEL: Type.Optional(Type.String({ minLength: 1, description: 'Default model (default gpt-4o-mini)' })),
  OPENAI_MODELS: Type.Optional(
    Type.String({
      pattern: '^[a-z_]+=[^,=\\s]+(,[a-z_]+=[^,=\\s]+)*$',
      description: 'Model per use, e.g. chat=llama3.1,story=mistral,post=gpt-4o-mini (uses: post caption reply notification ad_copy chat story)',
    }),
  ),
  OPENAI_TIMEOUT_MS: Type.Optional(Type.Integer({ minimum: 100, maximum: 600000, description: 'Per-attempt timeout (default 30000)' })),
  OPENAI_MAX_RETRIES: Type.Optional(
    Type.Integer({ minimum: 0, maximum: 10, description: 'Retries with exponential backoff on 408/409/429/5xx and timeouts (default 2)' }),
  ),
  OPENAI_MODERATION_MODEL: Type.Optional(Type.String({ minLength: 1, description: 'Moderation model of the provider (default omni-moderation-latest)' })),
  GENERATION_MODERATION: Mode(
    ['auto', 'provider', 'local'],
    'provider: the endpoint’s /moderations; local: the in-process classifier; auto (default): provider for api.openai.com, local otherwise',
  ),
  GENERATION_TOKEN_BUDGET: Type.Optional(Type.Integer({ minimum: 0, description: 'Tokens an API key may spend per UTC day (default 2000000)' })),
  GENERATION_TOKEN_BUDGETS: Type.Optional(
    Type.String({ pattern: '^[^:,\\s]+:\\d+(,[^:,\\s]+:\\d+)*$', description: 'Budget per key name, e.g. site:50000,batch:5000000' }),
  ),
  GENERATION_RATE_LIMIT_PER_MINUTE: Type.Optional(
    Type.Integer({ minimum: 1, description: 'Generation requests per API key per minute, per replica (default 120)' }),
  ),
  GENERATION_CACHE_TTL_SECONDS: Type.Optional(
    Type.Integer({ minimum: 0, description: 'How long identical prompts are answered from the cache; 0 disables (default 86400)' }),
  ),
  RECOMMENDATION_URL: Type.Optional(
    Type.String({ pattern: '^https?://', description: 'Base URL of the recommendation service (default http://recommendation:3000)' }),
  ),
  RECOMMENDATION_API_KEY: Type.Optional(Type.String({ minLength: 1, description: 'A key with recommendations:read for the recommendation service' })),
  RECOMMENDATION_TIMEOUT_MS: Type.Optional(Type.Integer({ minimum: 50, maximum: 60000, description: 'default 3000' })),
  STORY_MEMORY_BUDGET_CHARS: Type.Optional(
    Type.Integer({ minimum: 200, maximum: 100000, description: 'Running story memory kept within this many characters (default 1200)' }),
  ),
})

/** Generation's configuration; every host loads the schema above. */
export type GenerationConfig = BaseConfig & {
  OPENAI_API_KEY?: string
  OPENAI_BASE_URL?: string
  OPENAI_MODEL?: string
  OPENAI_MODELS?: string
  OPENAI_TIMEOUT_MS?: number
  OPENAI_MAX_RETRIES?: number
  OPENAI_MODERATION_MODEL?: string
  GENERATION_MODERATION?: 'auto' | 'provider' | 'local'
  GENERATION_TOKEN_BUDGET?: number
  GENERATION_TOKEN_BUDGETS?: string
  GENERATION_RATE_LIMIT_PER_MINUTE?: number
  GENERATION_CACHE_TTL_SECONDS?: number
  RECOMMENDATION_URL?: string
  RECOMMENDATION_API_KEY?: string
  RECOMMENDATION_TIMEOUT_MS?: number
  STORY_MEMORY_BUDGET_CHARS?: number
}
