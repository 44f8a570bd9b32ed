import OpenAI from 'openai'
import { ModerationCategories, type ModerationVerdict } from '../domain/moderation.ts'
import { estimatePromptTokens, estimateTokens, type Usage } from '../domain/usage.ts'
import { keepAliveFetch } from './keep-alive-fetch.ts'
import type { Completion, CompletionRequest, Provider, StreamPart } from './provider.ts'
import { ProviderError, toProviderError } from './provider-error.ts'

export interface OpenAiProviderOptions {
  apiKey: string
  /** Any OpenAI-compatible endpoint (Ollama, vLLM, llama.cpp …); the SDK's default when unset. */
  baseURL?: string
  timeoutMs: number
  /** Retries with exponential backoff (the SDK's: 0.5 s doubling, honouring retry-after). */
  maxRetries: number
  /** Use the provider's /moderations endpoint with this model; unset = no provider moderation. */
  moderationModel?: string
}

type Messages = OpenAI.Chat.Completions.ChatCompletionMessageParam[]

function responseFormat(req: Pick<CompletionRequest, 'json'>) {
  return req.json ? { response_format: { type: 'json_schema' as const, json_schema: { name: req.json.name, schema: req.json.schema, strict: true } } } : {}
}

function estimate(req: Pick<CompletionRequest, 'messages'>, texts: string[]): Usage {
  return { promptTokens: estimatePromptTokens(req.messages), completionTokens: texts.reduce((n, t) => n + estimateTokens(t), 0) }
}

/** The `openai` SDK against an OpenAI-compatible endpoint: timeouts, retries, streaming, JSON output, usage. */
export function openAiProvider(o: OpenAiProviderOptions): Provider {
  // One client, and so one keep-alive connection pool, for every request of this provider.
  const client = new OpenAI({
    apiKey: o.apiKey,
    timeout: o.timeoutMs,
    maxRetries: o.maxRetries,
    fetch: keepAliveFetch(),
    ...(o.baseURL ? { baseURL: o.baseURL } : {}),
  })
  const moderationModel = o.moderationModel
  const provider: Provider = {
    name: 'openai',
    async complete(req: CompletionRequest): Promise<Completion> {
      let r: OpenAI.Chat.Completions.ChatCompletion
      try {
        r = await client.chat.completions.create({
          model: req.model,
          messages: req.messages as Messages,
          n: req.n,
          temperature: req.temperature,
          max_tokens: req.maxTokens,
          ...responseFormat(req),
        })
      } catch (err) {
        throw toProviderError(err)
      }
      const texts = [...r.choices].sort((a, b) => a.index - b.index).map((c) => c.message.content ?? '')
      if (texts.length !== req.n || texts.some((t) => t.trim() === '')) {
        throw new ProviderError(502, `The model provider returned ${texts.filter((t) => t.trim()).length} usable answers of ${req.n}`)
      }
      if (req.json) {
        for (const t of texts) {
          try {
            JSON.parse(t)
          } catch (cause) {
            throw new ProviderError(502, 'The model provider did not return valid JSON', { cause })
          }
        }
      }
      const usage = r.usage ? { promptTokens: r.usage.prompt_tokens, completionTokens: r.usage.completion_tokens } : estimate(req, texts)
      return { texts, usage, model: r.model || req.model, provider: 'openai' }
    },
    async *stream(req): AsyncIterable<StreamPart> {
      let stream: AsyncIterable<OpenAI.Chat.Completions.ChatCompletionChunk>
      try {
        stream = await client.chat.completions.create({
          model: req.model,
          messages: req.messages as Messages,
          temperature: req.temperature,
          max_tokens: req.maxTokens,
          stream: true,
          stream_options: { include_usage: true },
          ...responseFormat(req),
        })
      } catch (err) {
        throw toProviderError(err)
      }
      let usage: Usage | undefined
      let text = ''
      try {
        for await (const chunk of stream) {
          const delta = chunk.choices[0]?.delta?.content
          if (delta) {
            text += delta
            yield { delta }
          }
          if (chunk.usage) usage = { promptTokens: chunk.usage.prompt_tokens, completionTokens: chunk.usage.completion_tokens }
        }
      } catch (err) {
        throw toProviderError(err)
      }
      yield { usage: usage ?? estimate(req, [text]) }
    },
  }
  if (moderationModel) {
    provider.moderate = async (texts: string[]): Promise<ModerationVerdict[]> => {
      let r: OpenAI.Moderations.ModerationCreateResponse
      try {
        r = await client.moderations.create({ model: moderationModel, input: texts })
      } catch (err) {
        throw toProviderError(err)
      }
      return r.results.map((res) => {
        const scores = res.category_scores as unknown as Record<string, number>
        const categories = Object.fromEntries(ModerationCategories.map((c) => [c, Number(scores[c] ?? 0)])) as ModerationVerdict['categories']
        return { score: Math.max(0, ...Object.values(categories)), categories, source: 'provider' as const }
      })
    }
  }
  return provider
}
