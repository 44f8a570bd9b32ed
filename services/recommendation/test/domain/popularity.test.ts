import type { Interaction, InteractionRecordedData } from '@attune/contracts'
import t from 'tap'
import { decayedScore, hourBucket, popularityIncrements, trendingWindows } from '../../src/domain/popularity.ts'

const HOUR = 3_600_000
const receivedAt = '2026-11-25T10:59:00.000Z'
let n = 0
/** An interaction.recorded payload; ids only need to be distinct here. */
function recorded(fields: Record<string, unknown>): InteractionRecordedData {
  n++
  const id = `0192f0a4-7c1e-7bb2-9a51-${String(n).padStart(12, '0')}`
  return { interaction: { id, userId: 'user-42', ...fields } as Interaction, receivedAt }
}

t.test('hourBucket truncates to the start of the UTC hour', async (t) => {
  t.equal(hourBucket(new Date('2026-11-25T10:59:59.999Z')).toISOString(), '2026-11-25T10:00:00.000Z')
  t.equal(hourBucket(new Date('2026-11-25T10:00:00.000Z')).toISOString(), '2026-11-25T10:00:00.000Z')
  t.equal(hourBucket(new Date('2026-11-25T00:00:00.001Z')).toISOString(), '2026-11-25T00:00:00.000Z')
})

t.test('popularityIncrements folds events per item and hour', async (t) => {
  const incs = popularityIncrements([
    recorded({ type: 'view', itemId: 'a', time: '2026-11-25T09:10:00.000Z' }),
    recorded({ type: 'click', itemId: 'a', time: '2026-11-25T09:50:00.000Z' }),
    recorded({ type: 'like', itemId: 'a', time: '2026-11-25T10:05:00.000Z' }),
    recorded({ type: 'hide', itemId: 'b', time: '2026-11-25T09:20:00.000Z' }),
    recorded({ type: 'dwell', itemId: 'b', seconds: 30, time: '2026-11-25T09:40:00.000Z' }),
  ])
  t.same(
    incs.map((i) => ({ ...i, bucket: i.bucket.toISOString() })),
    [
      { itemId: 'a', bucket: '2026-11-25T09:00:00.000Z', events: 2, score: 3 },
      { itemId: 'a', bucket: '2026-11-25T10:00:00.000Z', events: 1, score: 3 },
      { itemId: 'b', bucket: '2026-11-25T09:00:00.000Z', events: 2, score: -1 },
    ],
  )
})

t.test('an interaction without time falls in the hour it was received', async (t) => {
  const [inc] = popularityIncrements([recorded({ type: 'view', itemId: 'a' })])
  t.equal(inc?.bucket.toISOString(), '2026-11-25T10:00:00.000Z')
})

t.test('events that are not about an item are skipped', async (t) => {
  const incs = popularityIncrements([
    recorded({ type: 'follow', targetType: 'author', targetId: 'a-1' }),
    recorded({ type: 'ad_click', adId: 'ad-1' }),
    recorded({ type: 'notification_open', notificationId: 'n-1' }),
  ])
  t.same(incs, [])
})

t.test('an empty batch gives no increments', async (t) => {
  t.same(popularityIncrements([]), [])
})

t.test('decayedScore halves after one half-life (age measured from mid-hour)', async (t) => {
  const bucket = new Date('2026-11-25T10:00:00.000Z')
  const midHour = new Date(bucket.getTime() + HOUR / 2)
  const halfLife = trendingWindows['24h'].halfLifeMs
  t.equal(decayedScore([{ bucket, score: 8 }], midHour, halfLife), 8, 'no decay at mid-hour')
  t.equal(decayedScore([{ bucket, score: 8 }], bucket, halfLife), 8, 'no growth before mid-hour')
  t.equal(decayedScore([{ bucket, score: 8 }], new Date(midHour.getTime() + halfLife), halfLife), 4)
  t.equal(decayedScore([{ bucket, score: 8 }], new Date(midHour.getTime() + 2 * halfLife), halfLife), 2)
})

t.test('decayedScore sums the buckets', async (t) => {
  const now = new Date('2026-11-25T12:30:00.000Z')
  const score = decayedScore(
    [
      { bucket: new Date('2026-11-25T12:00:00.000Z'), score: 2 },
      { bucket: new Date('2026-11-25T11:00:00.000Z'), score: 4 },
      { bucket: new Date('2026-11-25T10:00:00.000Z'), score: -4 },
    ],
    now,
    HOUR,
  )
  t.equal(score, 2 + 4 * 0.5 - 4 * 0.25)
  t.equal(decayedScore([], now, HOUR), 0)
})

t.test('trending windows are longer than their half-lives', async (t) => {
  t.same(Object.keys(trendingWindows), ['1h', '24h', '7d', '30d'])
  t.equal(trendingWindows['1h'].windowMs, HOUR)
  for (const [name, w] of Object.entries(trendingWindows)) t.ok(w.halfLifeMs < w.windowMs, name)
})
