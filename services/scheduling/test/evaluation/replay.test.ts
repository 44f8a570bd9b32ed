// The offline replay on a seeded synthetic history: the activity model's top-3 hours catch more
// next-day engagements than every baseline. Pinned with a tolerance, like a quality test.
import { seededRandom } from '@attune/kit'
import t from 'tap'
import { defaultModelOptions } from '../../src/domain/user-activity.ts'
import { replay } from '../../src/evaluation/replay.ts'
import { syntheticHistory } from '../../src/evaluation/synthetic.ts'

t.test('the activity model beats global best hour, most recent hour and random', async (t) => {
  const history = syntheticHistory({ users: 300, days: 42, start: new Date('2026-09-01T00:00:00Z'), random: seededRandom(7) })
  const zones = new Map(history.habits.map((h) => [h.userId, h.timeZone]))
  const results = replay(history.events, { evalDays: 10, model: defaultModelOptions, timeZoneOf: (u) => zones.get(u) ?? 'UTC', random: seededRandom(8) })
  const by = Object.fromEntries(results.map((r) => [r.method, r.hitRate]))
  t.comment(JSON.stringify(by))
  t.ok((by['activity model'] ?? 0) > 0.7 && (by['activity model'] ?? 0) < 0.9, `model ${by['activity model']} (≈ 0.78)`)
  t.ok((by['activity model'] ?? 0) > (by['most recent hour'] ?? 1) + 0.08, 'beats most recent hour')
  t.ok((by['activity model'] ?? 0) > (by['global best hour'] ?? 1) + 0.3, 'beats the global best hour')
  t.ok(Math.abs((by.random ?? 0) - 3 / 24) < 0.03, 'random is 3/24')
  t.ok(results.every((r) => r.engagements === results[0]?.engagements && r.engagements > 1000))
})

t.test('the generator has the habits it says: most engagements at a habit hour', async (t) => {
  const history = syntheticHistory({ users: 50, days: 14, start: new Date('2026-09-01T00:00:00Z'), random: seededRandom(1) })
  t.ok(history.events.length > 50 * 14 * 0.3)
  t.ok(
    history.events.every((e, i) => i === 0 || (history.events[i - 1]?.at.getTime() ?? 0) <= e.at.getTime()),
    'time-ordered',
  )
  const again = syntheticHistory({ users: 50, days: 14, start: new Date('2026-09-01T00:00:00Z'), random: seededRandom(1) })
  t.equal(again.events.length, history.events.length, 'seeded: the same history')
})
