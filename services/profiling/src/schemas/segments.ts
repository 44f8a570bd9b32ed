import { CursorPage, CursorQuery, ExternalId, InteractionTypes } from '@attune/contracts'
import { ref } from '@attune/kit'
import { Type } from 'typebox'
import { LearnFeatures } from '../domain/segment-learning.ts'
import { MAX_RULE_CONDITIONS, MAX_WITHIN_DAYS, type SegmentRule as Rule, RuleOps, RuleTraits } from '../domain/segment-rules.ts'

const Scalar = Type.Union([Type.String({ maxLength: 1024 }), Type.Number(), Type.Boolean()])
/** The rule itself, recursively: children point back at this schema by `$id`. */
const RuleRef = Type.Unsafe<Rule>({ $ref: 'SegmentRule' })
const Children = Type.Array(RuleRef, { minItems: 1, maxItems: MAX_RULE_CONDITIONS })

const ruleExample = {
  all: [
    { trait: 'topCategories', op: 'contains', value: 'sport' },
    { event: 'view', withinDays: 7, op: 'gte', value: 5 },
    { not: { attribute: 'plan', op: 'eq', value: 'free' } },
  ],
}

export const SegmentRule = Type.Unsafe<Rule>(
  Type.Object(
    {
      all: Type.Optional({ ...Children, description: 'Every child rule holds' }),
      any: Type.Optional({ ...Children, description: 'At least one child rule holds' }),
      not: Type.Optional({ ...RuleRef, description: 'The child rule does not hold' }),
      attribute: Type.Optional(
        Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$', description: 'Condition on a profile attribute (set through PATCH)' }),
      ),
      trait: Type.Optional(
        Type.Union(
          RuleTraits.map((t) => Type.Literal(t)),
          { description: 'Condition on a computed trait; contains applies to the top lists' },
        ),
      ),
      event: Type.Optional(
        Type.Union(
          InteractionTypes.map((t) => Type.Literal(t)),
          { description: 'Condition on how many events of a type' },
        ),
      ),
      withinDays: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_WITHIN_DAYS, description: 'Event count window, in days (with event)' })),
      op: Type.Optional(Type.Union(RuleOps.map((o) => Type.Literal(o)))),
      value: Type.Optional(Type.Union([Scalar, Type.Array(Scalar, { maxItems: 100 })], { description: 'Compared value; an array with in' })),
    },
    {
      $id: 'SegmentRule',
      additionalProperties: false,
      minProperties: 1,
      description:
        'A rule node: exactly one of all / any / not (combinators) or attribute / trait / event (conditions with op and value; event also needs withinDays). At most 5 levels and 50 conditions.',
      examples: [ruleExample],
    },
  ),
)

const SegmentId = Type.String({ format: 'uuid', description: 'Segment id' })

export const SegmentParams = Type.Object({ id: SegmentId }, { additionalProperties: false })
export const UserSegmentsParams = Type.Object({ userId: ExternalId }, { additionalProperties: false })

export const CreateSegment = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 1000 })),
    rule: RuleRef,
  },
  { additionalProperties: false, examples: [{ name: 'engaged sport readers', description: 'Sport fans with 5+ views this week', rule: ruleExample }] },
)

const segmentExample = {
  id: '0193a5b2-7c1e-7b3a-9f00-3c2d1e0f4a5b',
  kind: 'rule',
  name: 'engaged sport readers',
  description: 'Sport fans with 5+ views this week',
  rule: ruleExample,
  members: 42,
  createdAt: '2026-11-25T09:12:00.000Z',
}

export const Segment = Type.Object(
  {
    id: SegmentId,
    kind: Type.Union([Type.Literal('rule'), Type.Literal('learned')]),
    name: Type.String(),
    description: Type.Union([Type.String(), Type.Null()]),
    rule: Type.Union([RuleRef, Type.Null()], { description: 'Null for learned segments' }),
    members: Type.Integer({ minimum: 0, description: 'Current member count' }),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Segment', additionalProperties: false, examples: [segmentExample] },
)

export const SegmentList = Type.Object({ items: Type.Array(ref(Segment)) }, { additionalProperties: false, examples: [{ items: [segmentExample] }] })

export const MembersQuery = CursorQuery

export const MembersPage = CursorPage(
  Type.Object({ userId: Type.String(), since: Type.String({ format: 'date-time' }) }, { additionalProperties: false }),
  'SegmentMembersPage',
  [{ items: [{ userId: 'user-42', since: '2026-11-25T09:12:00.000Z' }], nextCursor: null }],
)

export const UserSegments = Type.Object(
  {
    userId: Type.String(),
    items: Type.Array(
      Type.Object(
        { id: SegmentId, kind: Type.Union([Type.Literal('rule'), Type.Literal('learned')]), name: Type.String(), since: Type.String({ format: 'date-time' }) },
        { additionalProperties: false },
      ),
    ),
  },
  {
    additionalProperties: false,
    examples: [{ userId: 'user-42', items: [{ id: segmentExample.id, kind: 'rule', name: 'engaged sport readers', since: '2026-11-25T09:12:00.000Z' }] }],
  },
)

export const LearnSegments = Type.Object(
  {
    features: Type.Optional(
      Type.Array(Type.Union(LearnFeatures.map((f) => Type.Literal(f))), {
        minItems: 1,
        uniqueItems: true,
        default: ['category'],
        description: 'Interest kinds the vectors are built from',
      }),
    ),
    k: Type.Optional(Type.Integer({ minimum: 2, maximum: 20, description: 'Number of clusters; when absent, 2..8 by the best mean silhouette' })),
    seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 2_147_483_647, default: 1, description: 'Same data and seed give the same clusters' })),
    minEvents: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000, default: 0, description: 'Only users with at least this many events in 90 days' })),
  },
  { additionalProperties: false, examples: [{ features: ['category'], k: 4, seed: 42, minEvents: 3 }] },
)

export const LearnedSegments = Type.Object(
  {
    k: Type.Integer(),
    silhouette: Type.Number({ description: 'Mean silhouette of the clustering, -1..1' }),
    users: Type.Integer({ description: 'Users clustered' }),
    items: Type.Array(ref(Segment)),
  },
  {
    additionalProperties: false,
    examples: [
      {
        k: 2,
        silhouette: 0.61,
        users: 250,
        items: [{ ...segmentExample, kind: 'learned', name: 'Interest cluster 1: sport', description: 'sport 0.62, politics 0.21', rule: null, members: 140 }],
      },
    ],
  },
)
