import type { ProblemFieldError } from '@attune/contracts'

export const CustomTraitKinds = ['counter', 'sum', 'average', 'most_frequent', 'first', 'last', 'unique_list'] as const
export type CustomTraitKind = (typeof CustomTraitKinds)[number]

/** A trait defined by API, as Segment's computed traits: an aggregate over a window and an event filter. */
export interface CustomTraitDefinition {
  name: string
  kind: CustomTraitKind
  /** Path into the event: a field (`seconds`, `value`, `itemId`) or `properties.x`, `context.locale`. */
  property: string | null
  windowDays: number
  /** Event types counted; empty means all. */
  eventTypes: string[]
  /** Equality conditions on paths, all of which must hold. */
  filter: Record<string, string | number | boolean>
}

export type TraitValue = number | string | boolean | null | (string | number | boolean)[]

/** What the schema cannot check: a property is required for every kind but counter. */
export function definitionErrors(d: Pick<CustomTraitDefinition, 'kind' | 'property'>): ProblemFieldError[] {
  if (d.kind !== 'counter' && !d.property) return [{ field: '/property', in: 'body', message: `is required for a ${d.kind} trait` }]
  if (d.kind === 'counter' && d.property) return [{ field: '/property', in: 'body', message: 'must not be set for a counter trait' }]
  return []
}

export function valueAt(event: unknown, path: string): unknown {
  let v: unknown = event
  for (const part of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined
    v = (v as Record<string, unknown>)[part]
  }
  return v
}

const scalar = (v: unknown): v is string | number | boolean => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'

/** Computes a custom trait over a user's events, oldest first, already limited to the window and types. */
export function computeCustomTrait(d: CustomTraitDefinition, events: { payload: unknown }[]): TraitValue {
  const matching = events.filter((e) => Object.entries(d.filter).every(([path, want]) => valueAt(e.payload, path) === want))
  if (d.kind === 'counter') return matching.length
  const values = matching.map((e) => valueAt(e.payload, d.property ?? '')).filter(scalar)
  switch (d.kind) {
    case 'sum':
    case 'average': {
      const nums = values.filter((v): v is number => typeof v === 'number')
      if (nums.length === 0) return d.kind === 'sum' ? 0 : null
      const sum = nums.reduce((a, b) => a + b, 0)
      return d.kind === 'sum' ? sum : sum / nums.length
    }
    case 'most_frequent': {
      const counts = new Map<string | number | boolean, number>()
      for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1)
      let best: string | number | boolean | null = null
      let n = 0
      for (const [v, c] of counts) if (c > n) [best, n] = [v, c]
      return best
    }
    case 'first':
      return values[0] ?? null
    case 'last':
      return values[values.length - 1] ?? null
    case 'unique_list':
      return [...new Set(values)].slice(0, 100)
  }
}
