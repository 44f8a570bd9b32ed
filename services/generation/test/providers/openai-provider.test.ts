// The real `openai` SDK against a local OpenAI-compatible server: variants, JSON output, streaming
// with usage, moderation, and the failure paths (429 and 500 retried with backoff, timeouts).
import t from 'tap'
import { resolveStyle } from '../../src/domain/style.ts'
import { openAiProvider } from '../../src/providers/openai-provider.ts'
import type { CompletionRequest, StreamPart } from '../../src/providers/provider.ts'
import { ProviderError } from '../../src/providers/provider-error.ts'
import { startFakeOpenAi } from '../support/fake-openai.ts'

const fake = await startFakeOpenAi()
t.teardown(() => fake.close())
const provider = openAiProvider({ apiKey: 'sk-test', baseURL: fake.url, timeoutMs: 300, maxRetries: 2, moderationModel: 'omni-moderation-latest' })
const style = resolveStyle(undefined, {}).style
const request: CompletionRequest = {
  model: 'test-model',
  messages: [
    { role: 'system', content: 'Use a casual, friendly register.' },
    { role: 'user', content: 'Write about rain.' },
  ],
  n: 2,
  temperature: 0.7,
  maxTokens: 100,
  brief: { kind: 'generate', use: 'post', topic: 'rain', keyPoints: [], style },
}
const retryFast = { 'retry-after-ms': '5' }

t.test('n variants, model and usage as reported', async (t) => {
  const r = await provider.complete(request)
  t.same(r.texts, ['Hey! Check this out Variant 0.', 'Hey! Check this out Variant 1.'])
  t.equal(r.provider, 'openai')
  t.equal(r.model, 'test-model')
  t.ok(r.usage.promptTokens > 0 && r.usage.completionTokens > 0)
  const sent = fake.requests.at(-1)
  t.equal(sent?.headers.authorization, 'Bearer sk-test')
  t.match(sent?.body, { model: 'test-model', n: 2, temperature: 0.7, max_tokens: 100 })
})

t.test('structured output: the JSON schema is sent and invalid JSON is a 502', async (t) => {
  const json = { name: 'story_turn', schema: { type: 'object', properties: { narration: { type: 'string' } } } }
  const r = await provider.complete({ ...request, n: 1, json })
  t.match(JSON.parse(r.texts[0] as string), { narration: /Model narration/ })
  t.match(fake.requests.at(-1)?.body.response_format, { type: 'json_schema', json_schema: { name: 'story_turn', schema: json.schema } })
  fake.script({ answer: 'not json at all' })
  const err = await provider.complete({ ...request, n: 1, json }).catch((e: unknown) => e)
  t.ok(err instanceof ProviderError && err.status === 502, 'invalid JSON is the provider answering wrongly')
})

t.test('streaming: deltas in order, then usage', async (t) => {
  const parts: StreamPart[] = []
  for await (const p of provider.stream(request)) parts.push(p)
  const text = parts.flatMap((p) => ('delta' in p ? [p.delta] : [])).join('')
  t.equal(text, 'Hey! Check this out Variant 0.')
  const last = parts.at(-1)
  t.ok(last && 'usage' in last && last.usage.completionTokens === 6, 'usage from the final chunk')
  t.equal(fake.requests.at(-1)?.body.stream, true)
})

t.test('429 and 500 are retried with backoff; a success after them counts', async (t) => {
  const before = fake.requests.length
  fake.script({ status: 429, headers: retryFast }, { status: 500, headers: retryFast })
  const r = await provider.complete({ ...request, n: 1 })
  t.equal(r.texts.length, 1)
  t.equal(fake.requests.length - before, 3, 'two retries, then the answer')
})

t.test('failures after the retries: 429 → 503, 500 → 502, timeout → 503', async (t) => {
  fake.script(
    { status: 429, headers: { ...retryFast, 'retry-after': '7' } },
    { status: 429, headers: { ...retryFast, 'retry-after': '7' } },
    { status: 429, headers: { ...retryFast, 'retry-after': '7' } },
  )
  const limited = await provider.complete(request).catch((e: unknown) => e)
  t.ok(limited instanceof ProviderError)
  t.match(limited, { status: 503, retryAfterSeconds: 7, message: /rate limiting/ })

  fake.script({ status: 500, headers: retryFast }, { status: 500, headers: retryFast }, { status: 500, headers: retryFast })
  t.match(await provider.complete(request).catch((e: unknown) => e), { status: 502, message: /HTTP 500/ })

  fake.script({ status: 400, body: { error: { message: 'bad model' } } })
  t.match(await provider.complete(request).catch((e: unknown) => e), { status: 502, message: /HTTP 400/ }, '4xx is not retried and is a 502')

  const quick = openAiProvider({ apiKey: 'sk-test', baseURL: fake.url, timeoutMs: 100, maxRetries: 0 })
  fake.script({ delayMs: 400 })
  t.match(await quick.complete(request).catch((e: unknown) => e), { status: 503, message: /did not answer in time/ })

  const gone = openAiProvider({ apiKey: 'sk-test', baseURL: 'http://127.0.0.1:9/v1', timeoutMs: 200, maxRetries: 0 })
  t.match(await gone.complete(request).catch((e: unknown) => e), { status: 503, message: /could not be reached/ })
})

t.test('a stream that fails before any text is a ProviderError; one cut mid-way throws too', async (t) => {
  fake.script({ status: 500 }, { status: 500 }, { status: 500 })
  const failing = async () => {
    for await (const _ of provider.stream(request)) {
    }
  }
  t.match(await failing().catch((e: unknown) => e), { status: 502 })
  fake.script({ breakAfterChunks: 2 })
  const got: string[] = []
  const cut = async () => {
    for await (const p of provider.stream(request)) if ('delta' in p) got.push(p.delta)
  }
  const err = await cut().catch((e: unknown) => e)
  t.ok(err instanceof Error, 'the cut surfaces as an error')
  t.ok(got.length <= 2)
})

t.test('moderation endpoint: scores per input', async (t) => {
  const moderate = provider.moderate
  if (!moderate) return t.fail('moderation configured')
  const [calm, violent] = await moderate(['Lovely weather today', 'I will kill them all'])
  t.match(calm, { source: 'provider', score: 0.01 })
  t.match(violent, { source: 'provider', score: 0.97, categories: { violence: 0.97 } })
  t.match(fake.requests.at(-1), { path: '/v1/moderations', body: { model: 'omni-moderation-latest' } })
})
