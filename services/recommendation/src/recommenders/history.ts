import type { Csr } from './csr.ts'
import type { History } from './types.ts'

export const emptyHistory: History = { items: new Int32Array(0), weights: new Float32Array(0), times: new Float64Array(0) }

/** Row `row` of a user × item matrix as a history (shares no memory with the matrix). */
export function historyOfRow(m: Csr, row: number): History {
  const start = m.indptr[row] as number
  const end = m.indptr[row + 1] as number
  return { items: m.indices.slice(start, end), weights: m.values.slice(start, end), times: m.times.slice(start, end) }
}

/**
 * A history from id-level entries (DB rows or a request body): unknown items are skipped, repeated
 * items are summed with their latest time kept.
 */
export function historyFromEntries(index: ReadonlyMap<string, number>, entries: Iterable<{ itemId: string; weight: number; time?: number }>): History {
  const byItem = new Map<number, { weight: number; time: number }>()
  for (const e of entries) {
    const item = index.get(e.itemId)
    if (item === undefined) continue
    const time = e.time ?? 0
    const seen = byItem.get(item)
    if (seen) {
      seen.weight += e.weight
      seen.time = Math.max(seen.time, time)
    } else byItem.set(item, { weight: e.weight, time })
  }
  const items = new Int32Array(byItem.size)
  const weights = new Float32Array(byItem.size)
  const times = new Float64Array(byItem.size)
  let i = 0
  for (const [item, e] of byItem) {
    items[i] = item
    weights[i] = e.weight
    times[i] = e.time
    i++
  }
  return { items, weights, times }
}

/** Adds one interaction to a history (a new array set; the input is not changed). */
export function withInteraction(h: History, item: number, weight: number, time: number): History {
  const at = h.items.indexOf(item)
  if (at >= 0) {
    const weights = h.weights.slice()
    const times = h.times.slice()
    weights[at] = (weights[at] as number) + weight
    times[at] = Math.max(times[at] as number, time)
    return { items: h.items, weights, times }
  }
  const n = h.items.length
  const items = new Int32Array(n + 1)
  const weights = new Float32Array(n + 1)
  const times = new Float64Array(n + 1)
  items.set(h.items)
  weights.set(h.weights)
  times.set(h.times)
  items[n] = item
  weights[n] = weight
  times[n] = time
  return { items, weights, times }
}

/** 2^(−age / halfLife): the SAR time-decay factor; halfLife ≤ 0 or ∞ disables decay. */
export function decay(age: number, halfLifeMs: number): number {
  if (!(halfLifeMs > 0) || !Number.isFinite(halfLifeMs)) return 1
  return 2 ** (-Math.max(0, age) / halfLifeMs)
}
