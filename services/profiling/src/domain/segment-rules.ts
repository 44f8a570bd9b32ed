import { type ComputedTraits, computeTraits, type TraitRows } from './profile-traits.ts'

export const RuleOps = ['eq', 'neq', 'in', 'exists', 'gt', 'gte', 'lt', 'lte', 'contains'] as const
export type RuleOp = (typeof RuleOps)[number]

export const NumericTraits = ['engagementRate30d', 'lastSeenDaysAgo', 'firstSeenDaysAgo', 'sentimentAverage'] as const
export const TextTraits = ['preferredLanguage', 'dominantEmotion'] as const
export const ListTraits = ['topCategories', 'topAuthors', 'topTopics'] as const
export const RuleTraits = [...NumericTraits, ...TextTraits, ...ListTraits] as const
export type RuleTrait = (typeof RuleTraits)[number]

export const MAX_RULE_DEPTH = 5
export const MAX_RULE_CONDITIONS = 50
/** Event counts are kept per day for 90 days. */
export const MAX_WITHIN_DAYS = 90

type Scalar = string | number | boolean
export type RuleValue = Scalar | Scalar[]

/**
 * One node of a segment rule: exactly one of `all`, `any`, `not` (combinators), `attribute`,
 * `trait` or `event` (conditions, with `op` and usually `value`; `event` also has `withinDays`).
 * The shape is loose so the request schema can name each wrong field; `ruleErrors` enforces the rest.
 */
export interface SegmentRule {
  all?: SegmentRule[]
  any?: SegmentRule[]
  not?: SegmentRule
  attribute?: string
  trait?: RuleTrait
  event?: string
  withinDays?: number
  op?: RuleOp
  value?: RuleValue
}

/** What a rule is evaluated against. */
export interface SegmentFacts {
  attributes: Record<string, unknown>
  traits: Record<RuleTrait, number | string | string[] | null>
  /** Events of a type in the last `days` days (today included). */
  eventCount(type: string, days: number): number
}

export interface RuleProblem {
  field: string
  message: string
}

const KINDS = ['all', 'any', 'not', 'attribute', 'trait', 'event'] as const
const isList = (t: string): boolean => (ListTraits as readonly string[]).includes(t)
const isNumeric = (t: string): boolean => (NumericTraits as readonly string[]).includes(t)
const ORDER_OPS = new Set<RuleOp>(['gt', 'gte', 'lt', 'lte'])

/** Everything wrong with a rule that the schema cannot say, each naming its field (under `base`). */
export function ruleErrors(rule: SegmentRule, base = '/rule'): RuleProblem[] {
  const problems: RuleProblem[] = []
  let conditions = 0
  const visit = (node: SegmentRule, path: string, depth: number) => {
    const kinds = KINDS.filter((k) => node[k] !== undefined)
    if (kinds.length !== 1) {
      problems.push({ field: path, message: `must have exactly one of ${KINDS.join(', ')}` })
      return
    }
    if (depth > MAX_RULE_DEPTH) {
      problems.push({ field: path, message: `nests deeper than ${MAX_RULE_DEPTH} levels` })
      return
    }
    const kind = kinds[0] as (typeof KINDS)[number]
    if (kind === 'all' || kind === 'any') {
      for (const extra of ['op', 'value', 'withinDays'] as const)
        if (node[extra] !== undefined) problems.push({ field: `${path}/${extra}`, message: `is not allowed with ${kind}` })
      for (const [i, child] of (node[kind] ?? []).entries()) visit(child, `${path}/${kind}/${i}`, depth + 1)
      return
    }
    if (kind === 'not') {
      for (const extra of ['op', 'value', 'withinDays'] as const)
        if (node[extra] !== undefined) problems.push({ field: `${path}/${extra}`, message: 'is not allowed with not' })
      if (node.not) visit(node.not, `${path}/not`, depth + 1)
      return
    }
    conditions++
    conditionErrors(node, kind, path, problems)
  }
  visit(rule, base, 1)
  if (conditions > MAX_RULE_CONDITIONS) problems.push({ field: base, message: `has ${conditions} conditions; at most ${MAX_RULE_CONDITIONS}` })
  return problems
}

function conditionErrors(node: SegmentRule, kind: 'attribute' | 'trait' | 'event', path: string, problems: RuleProblem[]) {
  const { op, value } = node
  const fail = (field: string, message: string) => problems.push({ field: `${path}/${field}`, message })
  if (op === undefined) return fail('op', `is required with ${kind}`)
  if (kind !== 'event' && node.withinDays !== undefined) fail('withinDays', 'is only allowed with event')
  if (kind === 'event') {
    if (node.withinDays === undefined) fail('withinDays', 'is required with event')
    if (op === 'in' || op === 'exists' || op === 'contains') return fail('op', 'must be one of eq, neq, gt, gte, lt, lte for an event count')
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) fail('value', 'must be a whole number of events')
    return
  }
  if (op === 'contains' && !(kind === 'trait' && isList(node.trait ?? ''))) return fail('op', `contains only applies to ${ListTraits.join(', ')}`)
  if (kind === 'trait' && isList(node.trait ?? '') && op !== 'contains' && op !== 'exists') return fail('op', 'must be contains or exists for a list trait')
  if (op === 'exists') {
    if (value !== undefined) fail('value', 'is not allowed with exists')
    return
  }
  if (value === undefined) return fail('value', `is required with ${op}`)
  if (op === 'in') {
    if (!Array.isArray(value) || value.length === 0) fail('value', 'must be a non-empty array with in')
    return
  }
  if (Array.isArray(value)) return fail('value', `must be a single value with ${op}`)
  if (ORDER_OPS.has(op) && typeof value !== 'number') return fail('value', `must be a number with ${op}`)
  if (kind === 'trait' && isNumeric(node.trait ?? '') && typeof value !== 'number') fail('value', `must be a number for ${node.trait}`)
  if (op === 'contains' && typeof value !== 'string') fail('value', 'must be a string with contains')
}

function compare(actual: unknown, op: RuleOp, expected: RuleValue | undefined): boolean {
  switch (op) {
    case 'exists':
      return actual !== undefined && actual !== null && !(Array.isArray(actual) && actual.length === 0)
    case 'eq':
      return actual === expected
    case 'neq':
      return actual !== expected
    case 'in':
      return Array.isArray(expected) && (expected as unknown[]).includes(actual)
    case 'contains':
      return Array.isArray(actual) && actual.includes(expected)
    case 'gt':
      return typeof actual === 'number' && typeof expected === 'number' && actual > expected
    case 'gte':
      return typeof actual === 'number' && typeof expected === 'number' && actual >= expected
    case 'lt':
      return typeof actual === 'number' && typeof expected === 'number' && actual < expected
    case 'lte':
      return typeof actual === 'number' && typeof expected === 'number' && actual <= expected
  }
}

/** Whether the facts satisfy a (valid) rule. An absent attribute or trait only satisfies `neq`. */
export function evaluateRule(rule: SegmentRule, facts: SegmentFacts): boolean {
  if (rule.all) return rule.all.every((r) => evaluateRule(r, facts))
  if (rule.any) return rule.any.some((r) => evaluateRule(r, facts))
  if (rule.not) return !evaluateRule(rule.not, facts)
  const op = rule.op ?? 'exists'
  if (rule.attribute !== undefined) return compare(facts.attributes[rule.attribute], op, rule.value)
  if (rule.trait !== undefined) return compare(facts.traits[rule.trait], op, rule.value)
  if (rule.event !== undefined) return compare(facts.eventCount(rule.event, rule.withinDays ?? 1), op, rule.value)
  return false
}

const DAY_MS = 86_400_000
const daysAgo = (iso: string | null, now: Date) => (iso === null ? null : Math.floor((now.getTime() - Date.parse(iso)) / DAY_MS))

/** The facts of one profile as of `now`, from its aggregate rows and attributes. */
export function buildFacts(rows: TraitRows & { attributes: Record<string, unknown> }, now: Date): SegmentFacts {
  const t: ComputedTraits = computeTraits(rows, now)
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())
  return {
    attributes: rows.attributes,
    traits: {
      engagementRate30d: t.engagementRate30d,
      lastSeenDaysAgo: daysAgo(t.lastSeen, now),
      firstSeenDaysAgo: daysAgo(t.firstSeen, now),
      sentimentAverage: t.sentiment?.average ?? null,
      preferredLanguage: t.preferredLanguage,
      dominantEmotion: t.sentiment?.dominantEmotion ?? null,
      topCategories: t.topCategories.map((c) => c.value),
      topAuthors: t.topAuthors.map((c) => c.value),
      topTopics: t.topTopics.map((c) => c.value),
    },
    eventCount: (type, days) =>
      rows.daily.reduce((sum, r) => {
        const age = (today - Date.parse(`${r.day}T00:00:00Z`)) / DAY_MS
        return r.eventType === type && age < days ? sum + r.count : sum
      }, 0),
  }
}

export interface MembershipChange {
  segmentId: string
  userId: string
  change: 'joined' | 'left'
}

/** Who joins and who leaves, given who matches now and who was a member (keys `segmentId userId`). */
export function membershipChanges(evaluated: { segmentId: string; userId: string; matches: boolean }[], members: Set<string>): MembershipChange[] {
  const out: MembershipChange[] = []
  for (const e of evaluated) {
    const was = members.has(`${e.segmentId} ${e.userId}`)
    if (e.matches && !was) out.push({ segmentId: e.segmentId, userId: e.userId, change: 'joined' })
    else if (!e.matches && was) out.push({ segmentId: e.segmentId, userId: e.userId, change: 'left' })
  }
  return out
}
