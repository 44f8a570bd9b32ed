// Personalized ad copy: variants of an ad's text per audience segment, written by the generation
// service and kept `pending` until its review queue approves one (rejected ones never serve); and,
// on the decision log, which variant a decision showed and for which segment (for `why`). Both
// decision columns are nullable: older rows and decisions with the original text have none.
// Variants hold no user data (they are written per segment, never per user).
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('copy_variants')
    .ifNotExists()
    .addColumn('variant_id', 'uuid', (c) => c.primaryKey())
    .addColumn('ad_id', 'uuid', (c) => c.notNull().references('ads.ad_id').onDelete('cascade'))
    .addColumn('segment_id', 'uuid', (c) => c.notNull())
    .addColumn('audience', 'text')
    .addColumn('generation_id', 'uuid', (c) => c.notNull())
    .addColumn('review_id', 'uuid')
    .addColumn('variant_index', 'integer', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('moderation_score', 'double precision', (c) => c.notNull())
    .addColumn('flagged', 'boolean', (c) => c.notNull())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('copy_variants_ad_idx').ifNotExists().on('copy_variants').columns(['ad_id', 'segment_id']).execute()
  await db.schema
    .createIndex('copy_variants_pending_idx')
    .ifNotExists()
    .on('copy_variants')
    .column('review_id')
    .where(sql.ref('status'), '=', 'pending')
    .execute()

  await sql`alter table decisions add column if not exists copy_variant_id uuid, add column if not exists copy_segment_id uuid`.execute(db)
}
