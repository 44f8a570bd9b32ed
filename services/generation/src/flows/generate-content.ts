import { erasedInFlight, errors, timeOrderedId } from '@attune/kit'
import type { StoredVariant } from '../db.ts'
import { findBanned, redactBanned } from '../domain/banned-words.ts'
import { flaggedCategories } from '../domain/moderation.ts'
import { buildPrompt } from '../domain/prompt.ts'
import { resolveStyle } from '../domain/style.ts'
import { templateFor } from '../domain/templates.ts'
import type { BrandVoice } from '../domain/voice.ts'
import type { GatewayResult } from '../gateway/llm-gateway.ts'
import type { CompletionRequest } from '../providers/provider.ts'
import type { GenerateRequest, Generation } from '../schemas/generate.ts'
import { userIdInBody } from '../store/erased-in-flight.ts'
import { policyFor } from '../store/policies-store.ts'
import { recordGeneration, recordSpend } from '../store/record-generation.ts'
import { signalsOf } from '../store/signals-store.ts'
import { getVoice } from '../store/voices-store.ts'
import type { FlowDeps } from './deps.ts'
import { variantView } from './generation-view.ts'
import { guardInput } from './input-guard.ts'

const MAX_TOKENS: Record<GenerateRequest['use'], number> = { post: 400, caption: 200, reply: 400, notification: 80, ad_copy: 200 }

/**
 * POST /v1/generate: guards the input, builds the prompt from the template, the user's style and
 * the brand voice, asks the provider for n variants, keeps banned words out (asks again once, then
 * redacts), moderates the outputs and queues them for review when the use's policy says so.
 * Nothing is written before the provider answered. An output to review is written (with its spend)
 * in one statement before it is returned as pending; one returned straight away is written behind
 * the response (memory/output-log.ts), its tokens counting against the budget at once. Either is
 * about a user who may have been erased while the provider answered (seconds): an output to review
 * is then a 409 naming `/userId`, one returned is not written; the spend counts either way.
 */
export async function generateContent(deps: FlowDeps, apiKeyName: string, req: GenerateRequest): Promise<Generation> {
  const { ctx, gateway, moderate, settings, memory } = deps
  const receivedAt = ctx.clock()
  if (req.use === 'reply' && !req.brief.replyTo) throw errors.invalid('/brief/replyTo', 'is required when use is reply')
  const { voiceId, userId } = req
  const [voiceRow, policy, signals] = await Promise.all([
    voiceId ? memory.voices.get(voiceId, () => getVoice(ctx.db, voiceId)) : undefined,
    memory.policies.get(req.use, () => policyFor(ctx.db, req.use)),
    userId ? signalsOf(ctx.db, userId) : undefined,
  ])
  if (req.voiceId && !voiceRow) throw errors.invalid('/voiceId', `names no brand voice (${req.voiceId})`)
  const voice: BrandVoice | undefined = voiceRow
  const fields = [
    { field: '/brief/topic', text: req.brief.topic },
    ...req.brief.keyPoints.map((text, i) => ({ field: `/brief/keyPoints/${i}`, text })),
    ...(req.brief.replyTo ? [{ field: '/brief/replyTo', text: req.brief.replyTo }] : []),
  ]
  const guarded = await guardInput(moderate, fields, policy.blockThreshold)
  const [topic = '', ...rest] = guarded.texts
  const keyPoints = rest.slice(0, req.brief.keyPoints.length)
  const replyTo = req.brief.replyTo ? rest[rest.length - 1] : undefined

  const { style, features } = resolveStyle(signals, req.style ?? {})
  const template = templateFor(req.use)
  const vars = { topic, keyPoints: keyPoints.length ? `\nKey points:\n${keyPoints.map((p) => `- ${p}`).join('\n')}` : '', replyTo: replyTo ?? '' }
  const request: CompletionRequest = {
    model: settings.models(req.use),
    messages: buildPrompt(template, vars, style, voice),
    n: req.n,
    temperature: req.temperature,
    maxTokens: MAX_TOKENS[req.use],
    brief: { kind: 'generate', use: req.use, topic, keyPoints, ...(replyTo ? { replyTo } : {}), style, ...(voice ? { voice } : {}) },
  }
  const call = { apiKeyName, userId: req.userId ?? null }
  const first = await gateway.complete({ ...call, request, cache: req.cache })
  const results: GatewayResult[] = [first]
  const banned = voice?.bannedWords ?? []

  // Banned words: ask once more for each variant that used one, then redact whatever is left.
  const texts = [...first.completion.texts]
  const regenerated = texts.map(() => false)
  for (let i = 0; i < texts.length; i++) {
    const hits = findBanned(texts[i] as string, banned)
    if (hits.length === 0) continue
    const retry = await gateway.complete({
      ...call,
      cache: false,
      request: {
        ...request,
        n: 1,
        messages: [
          ...request.messages,
          { role: 'system', content: `Your previous answer used banned words (${hits.join(', ')}). Write it again without them.` },
        ],
      },
    })
    results.push(retry)
    texts[i] = retry.completion.texts[0] ?? ''
    regenerated[i] = true
  }
  const cleaned = texts.map((t) => redactBanned(t, banned))
  const verdicts = await moderate(cleaned.map((c) => c.text))
  const variants: StoredVariant[] = cleaned.map((c, i) => ({
    index: i,
    text: c.text,
    moderationScore: verdicts[i]?.score ?? 0,
    flagged: (verdicts[i]?.score ?? 0) >= policy.flagThreshold,
    categories: verdicts[i] ? flaggedCategories(verdicts[i], policy.flagThreshold) : [],
    bannedRedacted: c.found,
    regenerated: regenerated[i] as boolean,
  }))
  const reasons: ('publish' | 'flagged')[] = []
  if (req.publish && policy.reviewPublished) reasons.push('publish')
  if (variants.some((v) => v.flagged)) reasons.push('flagged')

  const now = ctx.clock()
  const generationId = timeOrderedId()
  const reviewId = reasons.length > 0 ? timeOrderedId() : undefined
  const why = {
    template: { id: template.id, version: template.version },
    voice: voice ? { voiceId: voice.voiceId, name: voice.name, version: voice.version } : null,
    features,
    redactions: guarded.redactions,
    moderation: { source: verdicts[0]?.source ?? 'local', flagThreshold: policy.flagThreshold, blockThreshold: policy.blockThreshold },
  }
  const usage = results.reduce(
    (u, r) =>
      r.cached
        ? u
        : { promptTokens: u.promptTokens + r.completion.usage.promptTokens, completionTokens: u.completionTokens + r.completion.usage.completionTokens },
    { promptTokens: 0, completionTokens: 0 },
  )
  const write = {
    spend: { apiKeyName, day: first.record.day, requests: results.length, usage },
    cache: results.flatMap((r) => (r.record.cache ? [r.record.cache] : [])),
    generation: {
      generationId,
      apiKeyName,
      userId: req.userId ?? null,
      use: req.use,
      voiceId: voice?.voiceId ?? null,
      voiceVersion: voice?.version ?? null,
      templateId: template.id,
      templateVersion: template.version,
      provider: first.completion.provider,
      model: first.completion.model,
      cached: first.cached,
      promptTokens: usage.promptTokens,
      completionTokens: usage.completionTokens,
      variants,
      why,
      createdAt: now,
    },
  }
  if (reviewId) {
    const toReview = { ...write, review: { reviewId, reasons, actor: `key:${apiKeyName}` } }
    const refused = userId
      ? await ctx.db.transaction().execute(async (trx) => {
          const refusal = await erasedInFlight(trx, ctx.schema, [userIdInBody(userId)], receivedAt)
          await (refusal ? recordSpend(trx, write.spend) : recordGeneration(trx, toReview))
          return refusal
        })
      : await recordGeneration(ctx.db, toReview)
    memory.spend.written(apiKeyName, write.spend.day, usage.promptTokens + usage.completionTokens, false)
    if (refused) throw refused
  } else {
    memory.outputs.record(write, receivedAt)
  }
  return {
    generationId,
    use: req.use,
    userId: req.userId ?? null,
    provider: first.completion.provider,
    model: first.completion.model,
    cached: first.cached,
    variants: variants.map(variantView),
    review: reviewId ? { reviewId, status: 'pending', reasons } : null,
    why,
    usage,
    createdAt: now.toISOString(),
  }
}
