import type { Emotion, Polarity } from '../analyzer/labels.ts'
import { bucketStart } from './windows.ts'

export type Dimension = 'item' | 'author' | 'topic' | 'user'

/** A scored text with what it is about, as the aggregates see it. */
export interface ScoredText {
  textId: string
  source: 'comment' | 'post'
  userId: string | null
  itemId: string | null
  authorId: string | null
  topics: string[]
  label: Polarity
  compound: number
  emotion: Emotion
  at: Date
}

export interface BucketIncrement {
  dimension: Dimension
  key: string
  bucket: Date
  total: number
  negative: number
  neutral: number
  positive: number
  compoundSum: number
  emotions: Record<string, number>
}

function keysOf(t: ScoredText): [Dimension, string][] {
  const out: [Dimension, string][] = []
  if (t.itemId) out.push(['item', t.itemId])
  if (t.authorId) out.push(['author', t.authorId])
  if (t.userId) out.push(['user', t.userId])
  for (const topic of new Set(t.topics)) out.push(['topic', topic])
  return out
}

function fold(acc: Map<string, BucketIncrement>, texts: readonly ScoredText[], sign: 1 | -1): void {
  for (const t of texts) {
    const bucket = bucketStart(t.at)
    for (const [dimension, key] of keysOf(t)) {
      const id = `${dimension}\u0000${key}\u0000${bucket.toISOString()}`
      let inc = acc.get(id)
      if (!inc) {
        inc = { dimension, key, bucket, total: 0, negative: 0, neutral: 0, positive: 0, compoundSum: 0, emotions: {} }
        acc.set(id, inc)
      }
      inc.total += sign
      inc[t.label] += sign
      inc.compoundSum += sign * t.compound
      inc.emotions[t.emotion] = (inc.emotions[t.emotion] ?? 0) + sign
    }
  }
}

function inKeyOrder(acc: Map<string, BucketIncrement>): BucketIncrement[] {
  return [...acc.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, v]) => v)
}

/** Folds scored texts into one increment per (dimension, key, 15-minute bucket), in key order (so concurrent writers lock rows in the same order). */
export function bucketIncrements(texts: readonly ScoredText[]): BucketIncrement[] {
  const acc = new Map<string, BucketIncrement>()
  fold(acc, texts, 1)
  return inKeyOrder(acc)
}

/**
 * What replacing scores changes in the buckets: `removed` counted out, `added` counted in, in key
 * order (a rescored post whose label, emotion, topics or author changed moves its counts).
 */
export function bucketDeltas(removed: readonly ScoredText[], added: readonly ScoredText[]): BucketIncrement[] {
  const acc = new Map<string, BucketIncrement>()
  fold(acc, removed, -1)
  fold(acc, added, 1)
  return inKeyOrder(acc)
}
