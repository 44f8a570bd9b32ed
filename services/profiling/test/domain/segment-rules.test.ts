import t from 'tap'
import { buildFacts, evaluateRule, membershipChanges, ruleErrors, type SegmentFacts, type SegmentRule } from '../../src/domain/segment-rules.ts'

const now = new Date('2026-11-25T12:00:00Z')
const facts: SegmentFacts = buildFacts(
  {
    attributes: { plan: 'premium', age: 31 },
    firstSeen: new Date('2026-11-05T12:00:00Z'),
    lastSeen: new Date('2026-11-23T12:00:00Z'),
    daily: [
      { day: '2026-11-25', eventType: 'view', count: 3 },
      { day: '2026-11-20', eventType: 'view', count: 4 },
      { day: '2026-10-01', eventType: 'view', count: 9 },
      { day: '2026-11-24', eventType: 'click', count: 2 },
    ],
    affinities: [
      { kind: 'category', value: 'sport', weight: 10, asOf: now },
      { kind: 'category', value: 'politics', weight: 2, asOf: now },
      { kind: 'category', value: 'celebrity', weight: -4, asOf: now },
    ],
    hours: [],
    languages: [{ language: 'fr', count: 3 }],
    sentiment: { samples: 2, compoundSum: 0.8, emotions: { joy: 2 } },
  },
  now,
)

t.test('conditions over attributes, traits and event counts', async (t) => {
  const yes: SegmentRule[] = [
    { attribute: 'plan', op: 'eq', value: 'premium' },
    { attribute: 'plan', op: 'in', value: ['premium', 'pro'] },
    { attribute: 'age', op: 'gte', value: 31 },
    { attribute: 'plan', op: 'exists' },
    { attribute: 'missing', op: 'neq', value: 'x' },
    { trait: 'topCategories', op: 'contains', value: 'sport' },
    { trait: 'preferredLanguage', op: 'eq', value: 'fr' },
    { trait: 'lastSeenDaysAgo', op: 'lte', value: 2 },
    { trait: 'firstSeenDaysAgo', op: 'eq', value: 20 },
    { trait: 'sentimentAverage', op: 'gt', value: 0.3 },
    { trait: 'dominantEmotion', op: 'eq', value: 'joy' },
    { trait: 'engagementRate30d', op: 'gt', value: 0 },
    { event: 'view', withinDays: 7, op: 'eq', value: 7 },
    { event: 'view', withinDays: 90, op: 'eq', value: 16 },
    { event: 'click', withinDays: 1, op: 'eq', value: 0 },
  ]
  for (const r of yes) t.ok(evaluateRule(r, facts), JSON.stringify(r))
  const no: SegmentRule[] = [
    { attribute: 'plan', op: 'eq', value: 'free' },
    { attribute: 'missing', op: 'exists' },
    { attribute: 'missing', op: 'gt', value: 1 },
    { trait: 'topCategories', op: 'contains', value: 'celebrity' },
    { trait: 'topTopics', op: 'exists' },
    { event: 'view', withinDays: 1, op: 'gte', value: 4 },
  ]
  for (const r of no) t.notOk(evaluateRule(r, facts), JSON.stringify(r))
})

t.test('all, any and not combine', async (t) => {
  const sport: SegmentRule = { trait: 'topCategories', op: 'contains', value: 'sport' }
  const free: SegmentRule = { attribute: 'plan', op: 'eq', value: 'free' }
  t.ok(evaluateRule({ all: [sport, { not: free }] }, facts))
  t.notOk(evaluateRule({ all: [sport, free] }, facts))
  t.ok(evaluateRule({ any: [free, sport] }, facts))
  t.notOk(evaluateRule({ not: { any: [free, sport] } }, facts))
})

t.test('ruleErrors names each wrong field', async (t) => {
  const fields = (r: SegmentRule) => ruleErrors(r).map((p) => p.field)
  t.same(
    ruleErrors({
      all: [
        { trait: 'topCategories', op: 'contains', value: 'sport' },
        { event: 'view', withinDays: 7, op: 'gte', value: 5 },
      ],
    }),
    [],
  )
  t.same(fields({ trait: 'preferredLanguage', op: 'contains', value: 'fr' }), ['/rule/op'], 'contains on a scalar trait')
  t.same(fields({ all: [{ attribute: 'plan', op: 'in', value: 'premium' }] }), ['/rule/all/0/value'], 'in without an array')
  t.same(fields({ attribute: 'plan', op: 'gt', value: 'x' }), ['/rule/value'])
  t.same(fields({ event: 'view', op: 'gte', value: 3 }), ['/rule/withinDays'])
  t.same(fields({ attribute: 'plan', trait: 'topTopics', op: 'exists' }), ['/rule'], 'two kinds in one node')
  t.same(fields({ attribute: 'plan' }), ['/rule/op'])
  t.same(fields({ trait: 'lastSeenDaysAgo', op: 'eq', value: 'yesterday' }), ['/rule/value'])
  let deep: SegmentRule = { attribute: 'plan', op: 'exists' }
  for (let i = 0; i < 5; i++) deep = { not: deep }
  t.same(fields(deep), ['/rule/not/not/not/not/not'], 'six levels is too deep')
  const many: SegmentRule = {
    any: Array.from({ length: 26 }, () => ({
      all: [
        { attribute: 'a', op: 'exists' as const },
        { attribute: 'b', op: 'exists' as const },
      ],
    })),
  }
  t.same(fields(many), ['/rule'], 'more than 50 conditions')
})

t.test('membership changes: who joins, who leaves', async (t) => {
  const changes = membershipChanges(
    [
      { segmentId: 's', userId: 'a', matches: true },
      { segmentId: 's', userId: 'b', matches: false },
      { segmentId: 's', userId: 'c', matches: true },
    ],
    new Set(['s b', 's c']),
  )
  t.same(changes, [
    { segmentId: 's', userId: 'a', change: 'joined' },
    { segmentId: 's', userId: 'b', change: 'left' },
  ])
})
