import type { AdsConfig } from '../config.ts'
import { type GenerationClient, generationClient } from './generation-client.ts'

/** The generation client when GENERATION_URL is set; undefined turns personalized copy off. */
export function generationFrom(config: AdsConfig): GenerationClient | undefined {
  if (!config.GENERATION_URL) return undefined
  return generationClient({
    url: config.GENERATION_URL,
    timeoutMs: config.GENERATION_TIMEOUT_MS,
    ...(config.GENERATION_API_KEY ? { apiKey: config.GENERATION_API_KEY } : {}),
  })
}
