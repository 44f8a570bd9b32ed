import { AppError, errors, LAST_STORABLE_MS, problemRef, problemResponses, ref, type ServiceApp, type ServiceContext, UUID_PATTERN } from '@attune/kit'
import type { GenerationConfig } from '../config.ts'
import type { GenerationDb } from '../db.ts'
import { findBanned } from '../domain/banned-words.ts'
import { generationView } from '../flows/generation-view.ts'
import { Review, ReviewDecision, ReviewPage, ReviewParams, ReviewQuery } from '../schemas/reviews.ts'
import { getGeneration } from '../store/generations-store.ts'
import { auditOf, decideReview, listReviews, reviewById } from '../store/reviews-store.ts'
import { getVoice } from '../store/voices-store.ts'

function encodeCursor(r: { createdAt: Date; reviewId: string }): string {
  return Buffer.from(`${r.createdAt.toISOString()}|${r.reviewId}`).toString('base64url')
}
function decodeCursor(c: string): { createdAt: Date; reviewId: string } {
  const [at, reviewId] = Buffer.from(c, 'base64url').toString().split('|')
  const createdAt = new Date(at ?? '')
  // Only what encodeCursor makes: a time Postgres can read and a review id (a uuid column); anything
  // else reached the query and failed there as a 500.
  if (!reviewId || !UUID_PATTERN.test(reviewId) || !(createdAt.getTime() >= 0 && createdAt.getTime() <= LAST_STORABLE_MS))
    throw new AppError('invalid_cursor', 'cursor is not one this API returned', {
      errors: [{ field: '/cursor', in: 'querystring', message: 'is not a cursor this API returned' }],
    })
  return { createdAt, reviewId }
}

export function reviewRoutes(app: ServiceApp, ctx: ServiceContext<GenerationDb, GenerationConfig>) {
  const tags = ['reviews']
  async function fullReview(reviewId: string) {
    const review = await reviewById(ctx.db, reviewId)
    if (!review) throw errors.notFound('Review', reviewId)
    const [g, audit] = await Promise.all([getGeneration(ctx.db, review.generationId), auditOf(ctx.db, reviewId)])
    if (!g) throw errors.notFound('Review', reviewId)
    return {
      reviewId: review.reviewId,
      status: review.status,
      reasons: review.reasons as ('publish' | 'flagged')[],
      variantIndex: review.variantIndex,
      finalText: review.finalText,
      reviewer: review.reviewer,
      decidedAt: review.decidedAt?.toISOString() ?? null,
      createdAt: review.createdAt.toISOString(),
      generation: generationView(g, review),
      audit: audit.map((a) => ({ ...a, at: a.at.toISOString() })),
    }
  }

  app.get(
    '/v1/reviews',
    {
      schema: {
        operationId: 'listReviews',
        tags,
        summary: 'The review queue: items by status, oldest first',
        querystring: ReviewQuery,
        response: { 200: ref(ReviewPage), ...problemResponses },
      },
    },
    async (request) => {
      const { status, limit, cursor } = request.query
      const rows = await listReviews(ctx.db, status, limit + 1, cursor ? decodeCursor(cursor) : undefined)
      const page = rows.slice(0, limit)
      const last = page[page.length - 1]
      return {
        reviews: page.map((r) => ({
          reviewId: r.reviewId,
          generationId: r.generationId,
          status: r.status,
          reasons: r.reasons as ('publish' | 'flagged')[],
          createdAt: r.createdAt.toISOString(),
        })),
        nextCursor: rows.length > limit && last ? encodeCursor(last) : null,
      }
    },
  )
  app.get(
    '/v1/reviews/:reviewId',
    {
      schema: {
        operationId: 'getReview',
        tags,
        summary: 'One review item with its content and audit log',
        params: ReviewParams,
        response: { 200: ref(Review), ...problemResponses },
      },
    },
    async (request) => fullReview(request.params.reviewId),
  )
  app.post(
    '/v1/reviews/:reviewId/decision',
    {
      schema: {
        operationId: 'decideReview',
        tags,
        summary: 'Approve a variant, publish an edited text, or reject',
        description:
          'Only a pending item can be decided (409 otherwise). An edit is checked against the voice’s banned words (422 naming /text). Every decision joins the audit log.',
        params: ReviewParams,
        body: ReviewDecision,
        response: { 200: ref(Review), 409: problemRef, 422: problemRef, ...problemResponses },
      },
    },
    async (request) => {
      const { reviewId } = request.params
      const d = request.body
      if (d.action === 'edit' && d.text === undefined) throw errors.invalid('/text', 'is required to edit')
      if (d.action !== 'edit' && d.text !== undefined) throw errors.invalid('/text', 'is only taken with action edit')
      await ctx.db.transaction().execute(async (trx) => {
        const review = await reviewById(trx, reviewId, true)
        if (!review) throw errors.notFound('Review', reviewId)
        if (review.status !== 'pending') throw errors.conflict(`Review ${reviewId} was already ${review.status}`)
        const g = await getGeneration(trx, review.generationId)
        if (!g) throw errors.notFound('Review', reviewId)
        const index = d.variantIndex ?? 0
        const variant = g.variants[index]
        if (d.action !== 'reject' && !variant) throw errors.invalid('/variantIndex', `must be below ${g.variants.length}`)
        let finalText: string | null = null
        if (d.action === 'approve') finalText = variant?.text ?? null
        if (d.action === 'edit') {
          const voice = g.voiceId ? await getVoice(trx, g.voiceId) : undefined
          const banned = findBanned(d.text as string, voice?.bannedWords ?? [])
          if (banned.length > 0)
            throw new AppError('unprocessable', `The edit uses banned words: ${banned.join(', ')}`, {
              errors: [{ field: '/text', in: 'body', message: `uses banned words: ${banned.join(', ')}` }],
            })
          finalText = d.text as string
        }
        await decideReview(trx, reviewId, {
          status: d.action === 'approve' ? 'approved' : d.action === 'edit' ? 'edited' : 'rejected',
          variantIndex: d.action === 'reject' ? null : index,
          finalText,
          reviewer: d.reviewer,
          note: d.note ?? null,
          at: ctx.clock(),
        })
      })
      return fullReview(reviewId)
    },
  )
}
