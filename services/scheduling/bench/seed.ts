import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import type { SchedulingDb } from '../src/db.ts'
import { BINS } from '../src/domain/activity-increments.ts'
import { encodeBins } from '../src/store/activity-store.ts'

const ZONES = ['Europe/Paris', 'Europe/London', 'America/New_York', 'America/Los_Angeles', 'Asia/Tokyo', 'Asia/Kolkata', 'Australia/Sydney', 'UTC']

/**
 * `n` users in one segment, written straight into the tables (as the consumers would have left
 * them): preferences in eight zones with push opted in, quiet hours for a third, a push cap for a
 * fifth, and an activity history (two habit hours plus noise) for 80% of them.
 */
export async function seedAudience(db: Kysely<SchedulingDb>, schema: string, n: number, random: () => number, now: Date): Promise<string> {
  const segmentId = randomUUID()
  for (let i = 0; i < n; i += 5_000) {
    const ids = Array.from({ length: Math.min(5_000, n - i) }, (_, k) => `bench-${i + k}`)
    await db
      .insertInto('userPreferences')
      .values(
        ids.map((userId, k) => ({
          userId,
          timeZone: ZONES[(i + k) % ZONES.length] ?? 'UTC',
          quietStart: (i + k) % 3 === 0 ? '22:00' : null,
          quietEnd: (i + k) % 3 === 0 ? '07:00' : null,
          channels: JSON.stringify({ email: true, push: true, sms: false, in_app: true, webhook: false }),
          frequencyCaps: JSON.stringify((i + k) % 5 === 0 ? { push: { max: 1, per: 'day' } } : {}),
          nonPersonalized: (i + k) % 50 === 0,
          updatedAt: now,
        })),
      )
      .execute()
    await db
      .insertInto('userSegments')
      .values(ids.map((userId) => ({ userId, segmentId, since: now })))
      .execute()
    const withHistory = ids.filter(() => random() < 0.8)
    const bins = withHistory.map(() => {
      const b = new Float32Array(BINS)
      const h1 = Math.floor(random() * 24)
      const h2 = Math.floor(random() * 24)
      for (let d = 0; d < 7; d++) {
        b[d * 24 + h1] = 2 + random() * 3
        b[d * 24 + h2] = 1 + random() * 2
        b[d * 24 + Math.floor(random() * 24)] = random()
      }
      return encodeBins(b)
    })
    await sql`
      insert into ${sql.id(schema, 'activity_models')} (user_id, channel, bins, events, first_at, last_at, updated_at)
      select u, 'all', b, 40, ${new Date(now.getTime() - 60 * 86_400_000)}, ${now}, ${now}
      from unnest(${sql.val(withHistory)}::text[], ${sql.val(bins)}::bytea[]) as x(u, b)
    `.execute(db)
  }
  return segmentId
}
