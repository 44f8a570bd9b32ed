import type { KitTables } from '@attune/kit'
import type { ColumnType } from 'kysely'

/** One scored text, by ids only (the text itself is never stored). */
export interface ScoredTextsTable {
  /** The comment's interaction id, or `post:<itemId>`. */
  textId: string
  source: 'comment' | 'post'
  userId: string | null
  itemId: string | null
  authorId: string | null
  topics: string[]
  label: 'negative' | 'neutral' | 'positive'
  compound: number
  emotion: string
  /** When the text was written (the interaction's or the post's time). */
  at: Date
  createdAt: ColumnType<Date, Date, never>
}

/** Per-dimension, per-15-minute counts; windows sum buckets. */
export interface SentimentBucketsTable {
  dimension: 'item' | 'author' | 'topic' | 'user'
  key: string
  bucket: Date
  total: number
  negative: number
  neutral: number
  positive: number
  compoundSum: number
  /** Counts per Ekman emotion, e.g. `{ anger: 3, joy: 1 }`. */
  emotions: ColumnType<Record<string, number>, string, string>
}

/** What the catalog says about an item, so comments on it count for its author and topics. */
export interface ItemsTable {
  itemId: string
  authorId: string | null
  topics: string[]
  updatedAt: Date
}

/** A detected spike of negative sentiment (also published as `sentiment.spike-detected`). */
export interface SpikeAlertsTable {
  alertId: string
  dimension: 'item' | 'topic'
  key: string
  windowStart: Date
  windowEnd: Date
  negative: number
  total: number
  negativeShare: number
  baselineShare: number
  detectedAt: Date
}

/** Tables in the `sentiment` schema. */
export interface SentimentDb extends KitTables {
  scoredTexts: ScoredTextsTable
  sentimentBuckets: SentimentBucketsTable
  items: ItemsTable
  spikeAlerts: SpikeAlertsTable
}
