import { type Kysely, sql } from 'kysely'
import type { SentimentDb } from '../db.ts'
import type { BucketIncrement, Dimension } from '../domain/buckets.ts'

/** Adds increments (negative ones too, for rescored texts) to the 15-minute buckets; emotion counts merge key by key and a count that reaches 0 is dropped. */
export async function addBuckets(db: Kysely<SentimentDb>, increments: readonly BucketIncrement[]): Promise<void> {
  for (let i = 0; i < increments.length; i += 1000) {
    await db
      .insertInto('sentimentBuckets')
      .values(increments.slice(i, i + 1000).map((x) => ({ ...x, emotions: JSON.stringify(x.emotions) })))
      .onConflict((oc) =>
        oc.columns(['dimension', 'key', 'bucket']).doUpdateSet((eb) => ({
          total: eb('sentimentBuckets.total', '+', eb.ref('excluded.total')),
          negative: eb('sentimentBuckets.negative', '+', eb.ref('excluded.negative')),
          neutral: eb('sentimentBuckets.neutral', '+', eb.ref('excluded.neutral')),
          positive: eb('sentimentBuckets.positive', '+', eb.ref('excluded.positive')),
          compoundSum: eb('sentimentBuckets.compoundSum', '+', eb.ref('excluded.compoundSum')),
          emotions: sql<string>`(select coalesce(jsonb_object_agg(k, v), '{}'::jsonb) from (
            select k, sum(v::int) as v from (
              select * from jsonb_each_text(sentiment_buckets.emotions) union all select * from jsonb_each_text(excluded.emotions)
            ) as e(k, v) group by k having sum(v::int) <> 0) as s)`,
        })),
      )
      .execute()
  }
}

export interface BucketRow {
  bucket: Date
  total: number
  negative: number
  neutral: number
  positive: number
  compoundSum: number
  emotions: Record<string, number>
}

/** The buckets of one key in [from, to), oldest first. */
export async function bucketsOf(db: Kysely<SentimentDb>, dimension: Dimension, key: string, from: Date, to: Date): Promise<BucketRow[]> {
  return db
    .selectFrom('sentimentBuckets')
    .select(['bucket', 'total', 'negative', 'neutral', 'positive', 'compoundSum', 'emotions'])
    .where('dimension', '=', dimension)
    .where('key', '=', key)
    .where('bucket', '>=', from)
    .where('bucket', '<', to)
    .orderBy('bucket')
    .execute()
}

/** Total and negative texts of one key in [from, to). */
export async function negativeCounts(
  db: Kysely<SentimentDb>,
  dimension: Dimension,
  key: string,
  from: Date,
  to: Date,
): Promise<{ total: number; negative: number }> {
  const row = await db
    .selectFrom('sentimentBuckets')
    .select([sql<number>`coalesce(sum(total), 0)::int`.as('total'), sql<number>`coalesce(sum(negative), 0)::int`.as('negative')])
    .where('dimension', '=', dimension)
    .where('key', '=', key)
    .where('bucket', '>=', from)
    .where('bucket', '<', to)
    .executeTakeFirst()
  return { total: row?.total ?? 0, negative: row?.negative ?? 0 }
}
