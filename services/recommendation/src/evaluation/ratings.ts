import type { Interaction } from '../recommenders/types.ts'

/** One row of a MovieLens-style file: `user item rating timestamp` (seconds). */
export interface Rating {
  user: string
  item: string
  rating: number
  /** Epoch seconds, as in u.data. */
  timestamp: number
}

/** Parses u.data (tab- or whitespace-separated `user item rating timestamp`); blank lines are skipped, a bad line throws with its number. */
export function parseRatings(text: string): Rating[] {
  const out: Rating[] = []
  const lines = text.split(/\r?\n/)
  for (let n = 0; n < lines.length; n++) {
    const line = (lines[n] as string).trim()
    if (line === '' || line.startsWith('#')) continue
    const [user, item, rating, timestamp] = line.split(/\s+/)
    const r = Number(rating)
    const t = Number(timestamp ?? 0)
    if (!user || !item || !Number.isFinite(r) || !Number.isFinite(t)) throw new SyntaxError(`line ${n + 1}: expected "user item rating timestamp"`)
    out.push({ user, item, rating: r, timestamp: t })
  }
  return out
}

export function formatRatings(rows: Iterable<Rating>): string {
  let s = ''
  for (const r of rows) s += `${r.user}\t${r.item}\t${r.rating}\t${r.timestamp}\n`
  return s
}

/**
 * How a rating becomes an interaction weight: `rating` keeps it (MS Recommenders' SAR protocol),
 * `binary` makes every row 1, `centered` uses rating − 3 (Attune's event weights: 1–2 stars are negative).
 */
export type WeightScheme = 'rating' | 'binary' | 'centered'

export function toInteractions(rows: Iterable<Rating>, scheme: WeightScheme = 'rating'): Interaction[] {
  const out: Interaction[] = []
  for (const r of rows) {
    const weight = scheme === 'binary' ? 1 : scheme === 'centered' ? r.rating - 3 : r.rating
    out.push({ userId: r.user, itemId: r.item, weight, time: r.timestamp * 1000 })
  }
  return out
}
