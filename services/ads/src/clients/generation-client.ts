import { AppError } from '@attune/kit'

/** What ads asks `POST /v1/generate` for: ad copy, sent for publishing (so it waits in the review queue). */
export interface AdCopyBrief {
  topic: string
  keyPoints: string[]
  n: number
  voiceId?: string
}

export interface GeneratedCopy {
  generationId: string
  provider: string
  variants: { index: number; text: string; score: number; flagged: boolean }[]
  /** Null when generation's policy queued nothing for a reviewer. */
  reviewId: string | null
}

/** A review item of generation's queue: `finalText` is the approved variant or the reviewer's edit. */
export interface ReviewOutcome {
  status: 'pending' | 'approved' | 'edited' | 'rejected'
  variantIndex: number | null
  finalText: string | null
  decidedAt: string | null
}

export interface GenerationClient {
  generateAdCopy(brief: AdCopyBrief): Promise<GeneratedCopy>
  review(reviewId: string): Promise<ReviewOutcome>
}

interface ProblemBody {
  detail?: unknown
  errors?: { field?: unknown; message?: unknown }[]
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null
const REVIEW_STATUSES = new Set(['pending', 'approved', 'edited', 'rejected'])

/**
 * Generation's HTTP API as any client uses it. Its refusals become problems of ours: an unknown
 * brand voice a 400 naming `/voiceId`, a brief its moderation blocks a 422; unreachable, rate
 * limited, over budget or overloaded a 503; anything else a 502.
 */
export function generationClient(o: { url: string; apiKey?: string; timeoutMs: number }): GenerationClient {
  const base = o.url.replace(/\/$/, '')
  async function call(method: 'GET' | 'POST', path: string, body?: object): Promise<unknown> {
    let res: Response
    try {
      res = await fetch(`${base}${path}`, {
        method,
        headers: {
          accept: 'application/json',
          ...(body ? { 'content-type': 'application/json' } : {}),
          ...(o.apiKey ? { authorization: `Bearer ${o.apiKey}` } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(o.timeoutMs),
      })
    } catch (cause) {
      throw new AppError('unavailable', 'The generation service could not be reached', { cause })
    }
    const json: unknown = await res.json().catch(() => undefined)
    if (res.ok) return json
    const problem: ProblemBody = isObject(json) ? json : {}
    const detail = typeof problem.detail === 'string' ? problem.detail : `HTTP ${res.status}`
    if (res.status === 429 || res.status >= 500) {
      const retryAfter = res.headers.get('retry-after')
      throw new AppError('unavailable', `The generation service is unavailable: ${detail}`, retryAfter ? { headers: { 'retry-after': retryAfter } } : {})
    }
    const fields = (problem.errors ?? []).map((e) => String(e.field ?? ''))
    if (res.status === 400 && fields.includes('/voiceId'))
      throw new AppError('validation_failed', detail, {
        errors: [{ field: '/voiceId', in: 'body', message: 'names no brand voice of the generation service' }],
      })
    if (res.status === 422) throw new AppError('unprocessable', `The generation service refused the brief: ${detail}`)
    throw new AppError('bad_gateway', `The generation service refused the request (HTTP ${res.status}): ${detail}`)
  }

  return {
    async generateAdCopy(brief) {
      const g = await call('POST', '/v1/generate', {
        use: 'ad_copy',
        brief: { topic: brief.topic, keyPoints: brief.keyPoints },
        n: brief.n,
        publish: true,
        ...(brief.voiceId ? { voiceId: brief.voiceId } : {}),
      })
      if (!isObject(g) || typeof g.generationId !== 'string' || !Array.isArray(g.variants))
        throw new AppError('bad_gateway', 'The generation service answered in an unknown shape')
      const review = isObject(g.review) && typeof g.review.reviewId === 'string' ? g.review.reviewId : null
      return {
        generationId: g.generationId,
        provider: typeof g.provider === 'string' ? g.provider : 'unknown',
        reviewId: review,
        variants: g.variants.filter(isObject).map((v, i) => {
          const m = isObject(v.moderation) ? v.moderation : {}
          return {
            index: typeof v.index === 'number' ? v.index : i,
            text: typeof v.text === 'string' ? v.text : '',
            score: typeof m.score === 'number' ? m.score : 0,
            flagged: m.flagged === true,
          }
        }),
      }
    },
    async review(reviewId) {
      const r = await call('GET', `/v1/reviews/${encodeURIComponent(reviewId)}`)
      if (!isObject(r) || typeof r.status !== 'string' || !REVIEW_STATUSES.has(r.status))
        throw new AppError('bad_gateway', 'The generation service answered in an unknown shape')
      return {
        status: r.status as ReviewOutcome['status'],
        variantIndex: typeof r.variantIndex === 'number' ? r.variantIndex : null,
        finalText: typeof r.finalText === 'string' ? r.finalText : null,
        decidedAt: typeof r.decidedAt === 'string' ? r.decidedAt : null,
      }
    },
  }
}
