import type { History, ModelJson, Reason, Recommender, RecommenderKind, Scored, Scoring } from './types.ts'

export interface BlendComponent {
  model: Recommender
  weight: number
}

export interface BlendOptions {
  /** Candidates drawn from each component per requested slot (at least 50 in all). */
  candidatesPerSlot: number
}

export const defaultBlendOptions: BlendOptions = { candidatesPerSlot: 5 }

export interface BlendModel extends Recommender {
  readonly kind: 'blend'
  readonly components: readonly BlendComponent[]
}

const reasonOf: Record<RecommenderKind, Reason> = {
  sar: 'history',
  ease: 'history',
  content: 'content',
  als: 'similar-users',
  bpr: 'similar-users',
  popularity: 'popular',
  blend: 'history',
}

/**
 * A weighted blend: candidates are the union of each component's top list; a candidate's score is
 * Σ_c w_c · s_c(j) / scale_c, where scale_c is the component's best score for this request, so
 * each component contributes on a 0..1 scale. The reason is the component contributing most;
 * "because" comes from the best contributing component that can explain (SAR, content, EASE, ALS).
 */
export function blend(components: BlendComponent[], options: Partial<BlendOptions> = {}): BlendModel {
  const o = { ...defaultBlendOptions, ...options }
  const active = components.filter((c) => c.weight !== 0)
  const itemCount = Math.max(0, ...components.map((c) => c.model.itemCount))
  return {
    kind: 'blend',
    itemCount,
    components,
    prepare(history: History, now?: number): Scoring {
      const parts = active.map((c) => ({ c, scoring: c.model.prepare(history, now), scale: 1 }))
      const detail = (item: number) => {
        let total = 0
        let bestPart = -1
        let bestValue = Number.NEGATIVE_INFINITY
        for (let k = 0; k < parts.length; k++) {
          const p = parts[k] as (typeof parts)[number]
          const v = (p.c.weight * p.scoring.score(item)) / p.scale
          total += v
          if (v > bestValue) {
            bestValue = v
            bestPart = k
          }
        }
        return { total, bestPart }
      }
      return {
        top(n, allow): Scored[] {
          const pool = new Set<number>()
          // Five per slot for a page; a long candidate list (a cache of 200) needs far fewer per slot.
          const per = Math.max(50, Math.min(n * o.candidatesPerSlot, n + 200))
          for (const p of parts) {
            const list = p.scoring.top(per, allow)
            const max = list.length > 0 ? Math.abs((list[0] as Scored).score) : 0
            p.scale = max > 0 ? max : 1
            for (const s of list) pool.add(s.item)
          }
          const out: Scored[] = []
          for (const item of pool) {
            const d = detail(item)
            const best = parts[d.bestPart]
            out.push(best ? { item, score: d.total, reason: reasonOf[best.c.model.kind] } : { item, score: d.total })
          }
          out.sort((a, b) => b.score - a.score || a.item - b.item)
          return out.slice(0, n)
        },
        score: (item) => detail(item).total,
        because(item) {
          const ranked = parts
            .map((p) => ({ p, v: (p.c.weight * p.scoring.score(item)) / p.scale }))
            .filter((x) => x.v > 0)
            .sort((a, b) => b.v - a.v)
          for (const { p } of ranked) {
            const b = p.scoring.because(item)
            if (b.length > 0) return b
          }
          return []
        },
      }
    },
    similar(item, k) {
      const pool = new Map<number, number>()
      for (const c of active) {
        const list = c.model.similar(item, Math.max(50, k * 3))
        const max = list.length > 0 ? Math.abs((list[0] as Scored).score) || 1 : 1
        for (const s of list) pool.set(s.item, (pool.get(s.item) ?? 0) + (c.weight * s.score) / max)
      }
      return [...pool]
        .map(([j, score]) => ({ item: j, score }))
        .sort((a, b) => b.score - a.score || a.item - b.item)
        .slice(0, k)
    },
    toJSON: (): ModelJson => ({
      kind: 'blend',
      version: 1,
      candidatesPerSlot: o.candidatesPerSlot,
      components: components.map((c) => ({ weight: c.weight, model: c.model.toJSON() })),
    }),
  }
}
