import { randomUUID } from 'node:crypto'
import { Topics } from '@attune/contracts'
import { AppError, errors, problemRef, problemResponses, ref, type ServiceApp, type ServiceContext, shareErasureLock } from '@attune/kit'
import { Type } from 'typebox'
import type { ProfilingDb } from '../db.ts'
import { interestVectors, type LearnFeature, learnSegments } from '../domain/segment-learning.ts'
import { type MembershipChange, ruleErrors } from '../domain/segment-rules.ts'
import {
  CreateSegment,
  LearnedSegments,
  LearnSegments,
  MembersPage,
  MembersQuery,
  Segment,
  SegmentList,
  SegmentParams,
  UserSegments,
  UserSegmentsParams,
} from '../schemas/segments.ts'
import { usersBeingErased } from '../store/privacy-requests-store.ts'
import { resolveProfileId, withProfiles } from '../store/profiles-store.ts'
import { membershipMessages, refreshMembershipsOf } from '../store/segment-membership-store.ts'
import {
  affinitiesForLearning,
  applyMembershipChanges,
  deleteLearnedSegments,
  deleteSegment,
  findSegment,
  insertSegment,
  listSegments,
  membersPage,
  profileExists,
  profileIdsPage,
  type SegmentRow,
  segmentsOfUser,
} from '../store/segments-store.ts'

const PAGE = 500

const toSegment = (s: SegmentRow) => ({ ...s, createdAt: s.createdAt.toISOString() })
const encodeCursor = (userId: string) => Buffer.from(userId, 'utf8').toString('base64url')
const decodeCursor = (cursor: string) => Buffer.from(cursor, 'base64url').toString('utf8')

export function segmentRoutes(app: ServiceApp, ctx: ServiceContext<ProfilingDb>) {
  const publish = (changes: MembershipChange[], now: Date) => membershipMessages(changes, { topic: ctx.topic(Topics.profiles), source: ctx.name, now })

  app.post(
    '/v1/segments',
    {
      schema: {
        operationId: 'createSegment',
        tags: ['segments'],
        summary: 'Create a rule segment',
        description:
          'Evaluated over every existing profile now, then re-evaluated for a profile whenever what a rule sees of it changes: an interaction, a sentiment score, a change of its attributes (`PATCH /v1/profiles/{userId}`) or an identity merge into it (the merged user). Joins and leaves are published as `segment.membership-changed` on attune.profiles; a user whose erasure is pending joins and leaves nothing until it completes.',
        body: CreateSegment,
        response: { 201: ref(Segment), ...problemResponses },
      },
    },
    async (request, reply) => {
      const { name, description, rule } = request.body
      const problems = ruleErrors(rule)
      if (problems.length > 0)
        throw new AppError('validation_failed', problems.map((p) => `${p.field} ${p.message}`).join('; '), {
          errors: problems.map((p) => ({ ...p, in: 'body' as const })),
        })
      const now = ctx.clock()
      const id = randomUUID()
      await ctx.transaction(async (trx, emit) => {
        // Profiles are read after it: an erasure has finished before, or waits until the memberships are written.
        await shareErasureLock(trx, ctx.schema)
        await insertSegment(trx, { id, kind: 'rule', name, description: description ?? null, rule, createdAt: now })
        for (let after: string | undefined, ids = await profileIdsPage(trx, PAGE); ids.length > 0; ids = await profileIdsPage(trx, PAGE, after)) {
          await emit(await refreshMembershipsOf(trx, ids, [{ id, rule }], { topic: ctx.topic(Topics.profiles), source: ctx.name, now }))
          after = ids[ids.length - 1]
        }
      })
      return reply.code(201).send(toSegment((await findSegment(ctx.db, id)) as SegmentRow))
    },
  )

  app.post(
    '/v1/segments/learned',
    {
      schema: {
        operationId: 'learnSegments',
        tags: ['segments'],
        summary: 'Cluster users by interests into learned segments',
        description:
          'Seeded k-means++ over L2-normalised interest vectors (decayed affinities); replaces the previous learned segments. Each is described by its strongest centroid features. Fewer users than clusters is a 422.',
        body: LearnSegments,
        response: { 201: LearnedSegments, 422: problemRef, ...problemResponses },
      },
    },
    async (request, reply) => {
      const features = (request.body.features ?? ['category']) as LearnFeature[]
      const seed = request.body.seed ?? 1
      const { k } = request.body
      const now = ctx.clock()
      const vectors = interestVectors(await affinitiesForLearning(ctx.db, features, request.body.minEvents ?? 0), features, now)
      const needed = k ?? 2
      if (vectors.userIds.length < Math.max(needed, 2) || (k === undefined && vectors.userIds.length < 3))
        throw new AppError('unprocessable', `${vectors.userIds.length} users have interests in ${features.join(', ')}; too few for ${needed} clusters`, {
          errors: [{ field: k === undefined ? '/features' : '/k', in: 'body', message: `is more than the ${vectors.userIds.length} users with interests` }],
        })
      const learned = learnSegments(vectors, { ...(k !== undefined ? { k } : {}), seed })
      const clusters = learned.clusters
      const ids = clusters.map(() => randomUUID())
      await ctx.transaction(async (trx, emit) => {
        // The interests were read before: a user erased since has no profile any more and joins
        // nothing; nor does one whose erasure is asked for and not done (see usersBeingErased).
        await shareErasureLock(trx, ctx.schema)
        const members = clusters.flatMap((c) => c.members)
        const withProfile = await withProfiles(trx, members)
        const beingErased = await usersBeingErased(trx, members)
        const present = new Set(members.filter((u) => withProfile.has(u) && !beingErased.has(u)))
        const ended = await deleteLearnedSegments(trx)
        const changes: MembershipChange[] = ended.map((m) => ({ ...m, change: 'left' }))
        const joined: MembershipChange[] = []
        for (const [i, c] of clusters.entries()) {
          const id = ids[i] as string
          await insertSegment(trx, { id, kind: 'learned', name: c.name, description: c.description, rule: null, createdAt: now })
          for (const userId of c.members) if (present.has(userId)) joined.push({ segmentId: id, userId, change: 'joined' })
        }
        await applyMembershipChanges(trx, joined, now)
        await emit(publish([...changes, ...joined], now))
      })
      const stored = new Map((await listSegments(ctx.db)).map((s) => [s.id, s]))
      return reply.code(201).send({
        k: learned.k,
        silhouette: Math.round(learned.silhouette * 1000) / 1000,
        users: vectors.userIds.length,
        items: ids.map((id) => toSegment(stored.get(id) as SegmentRow)),
      })
    },
  )

  app.get(
    '/v1/segments',
    {
      schema: {
        operationId: 'listSegments',
        tags: ['segments'],
        summary: 'Segments with their member counts',
        response: { 200: SegmentList, ...problemResponses },
      },
    },
    async () => ({ items: (await listSegments(ctx.db)).map(toSegment) }),
  )

  app.get(
    '/v1/segments/:id',
    {
      schema: {
        operationId: 'getSegment',
        tags: ['segments'],
        summary: 'One segment',
        params: SegmentParams,
        response: { 200: ref(Segment), ...problemResponses },
      },
    },
    async (request) => {
      const s = await findSegment(ctx.db, request.params.id)
      if (!s) throw errors.notFound('Segment', request.params.id)
      return toSegment(s)
    },
  )

  app.delete(
    '/v1/segments/:id',
    {
      schema: {
        operationId: 'deleteSegment',
        tags: ['segments'],
        summary: 'Remove a segment and its memberships',
        params: SegmentParams,
        response: { 204: Type.Null({ description: 'Removed', examples: [null] }), ...problemResponses },
      },
    },
    async (request, reply) => {
      if (!(await deleteSegment(ctx.db, request.params.id))) throw errors.notFound('Segment', request.params.id)
      return reply.code(204).send(null)
    },
  )

  app.get(
    '/v1/segments/:id/members',
    {
      schema: {
        operationId: 'listSegmentMembers',
        tags: ['segments'],
        summary: 'Members of a segment, by user id',
        params: SegmentParams,
        querystring: MembersQuery,
        response: { 200: ref(MembersPage), ...problemResponses },
      },
    },
    async (request) => {
      const { id } = request.params
      const { limit, cursor } = request.query
      if (!(await findSegment(ctx.db, id))) throw errors.notFound('Segment', id)
      const rows = await membersPage(ctx.db, id, limit, cursor ? decodeCursor(cursor) : undefined)
      const page = rows.slice(0, limit)
      const last = page[page.length - 1]
      return {
        items: page.map((r) => ({ userId: r.userId, since: r.since.toISOString() })),
        nextCursor: rows.length > limit && last ? encodeCursor(last.userId) : null,
      }
    },
  )

  app.get(
    '/v1/profiles/:userId/segments',
    {
      schema: {
        operationId: 'getProfileSegments',
        tags: ['segments', 'profiles'],
        summary: 'The segments a user is in',
        description: 'An anonymous id that was merged into a user returns that user’s segments.',
        params: UserSegmentsParams,
        response: { 200: UserSegments, ...problemResponses },
      },
    },
    async (request) => {
      const userId = await resolveProfileId(ctx.db, request.params.userId)
      const items = await segmentsOfUser(ctx.db, userId)
      if (items.length === 0 && !(await profileExists(ctx.db, userId))) throw errors.notFound('Profile', request.params.userId)
      return { userId, items: items.map((s) => ({ ...s, since: s.since.toISOString() })) }
    },
  )
}
