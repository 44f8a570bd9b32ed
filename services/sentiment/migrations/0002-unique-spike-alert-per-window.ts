// One spike alert per (dimension, key, window start). Comments on one item arrive on different
// partitions (keyed by user), so two replicas can both pass the cooldown check for the same key
// before either commits; the unique index makes the second insert a no-op (`on conflict do
// nothing`), and only the replica whose insert wins publishes `sentiment.spike-detected`.
// Duplicates that may already exist are removed first (the earliest alert of a window is kept).
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`delete from spike_alerts a using spike_alerts b
    where a.dimension = b.dimension and a.key = b.key and a.window_start = b.window_start
      and (a.detected_at, a.alert_id) > (b.detected_at, b.alert_id)`.execute(db)
  await db.schema.createIndex('spike_alerts_window_key').ifNotExists().unique().on('spike_alerts').columns(['dimension', 'key', 'window_start']).execute()
}
