import type { ExplainedCandidate } from './reasons.ts'

export type FeedCandidate = ExplainedCandidate

export interface FeedSource {
  name: string
  /** Share of the feed this source aims for (relative to the other sources). */
  weight: number
  /** Best first. */
  items: FeedCandidate[]
}

export interface FeedEntry extends FeedCandidate {
  /** The sources that proposed the item, the one that placed it first. */
  sources: string[]
}

/**
 * Interleaves sources by smooth weighted round robin (the nginx upstream algorithm): each slot
 * goes to the source furthest behind its share, so a 0.4/0.3/0.2/0.1 mix holds on every prefix of
 * the feed. An item proposed by several sources appears once, where it came first, with every
 * source's reasons. Items in `skip` never appear; a source that runs dry leaves its share to the rest.
 */
export function blendFeed(sources: FeedSource[], count: number, skip: ReadonlySet<string> = new Set()): FeedEntry[] {
  const byItem = new Map<string, FeedEntry>()
  for (const s of sources) {
    for (const c of s.items) {
      const e = byItem.get(c.itemId)
      if (e) {
        if (!e.sources.includes(s.name)) e.sources.push(s.name)
        for (const r of c.reasons) if (!e.reasons.some((x) => x.kind === r.kind)) e.reasons.push(r)
      } else byItem.set(c.itemId, { itemId: c.itemId, score: c.score, reasons: [...c.reasons], sources: [s.name] })
    }
  }
  const live = sources.filter((s) => s.weight > 0).map((s) => ({ s, next: 0, credit: 0 }))
  const placed = new Set<string>()
  const out: FeedEntry[] = []
  while (out.length < count) {
    const open = live.filter((l) => l.next < l.s.items.length)
    if (open.length === 0) break
    const total = open.reduce((n, l) => n + l.s.weight, 0)
    for (const l of open) l.credit += l.s.weight
    const pick = open.reduce((best, l) => (l.credit > best.credit ? l : best))
    pick.credit -= total
    while (pick.next < pick.s.items.length) {
      const c = pick.s.items[pick.next++] as FeedCandidate
      if (placed.has(c.itemId) || skip.has(c.itemId)) continue
      placed.add(c.itemId)
      const entry = byItem.get(c.itemId) as FeedEntry
      // The placing source's reasons lead.
      entry.sources = [pick.s.name, ...entry.sources.filter((n) => n !== pick.s.name)]
      out.push(entry)
      break
    }
  }
  return out
}
