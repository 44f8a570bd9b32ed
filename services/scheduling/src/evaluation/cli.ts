// Offline replay of the activity model against baselines on a synthetic history with known habits:
//   node src/evaluation/cli.ts [--users 2000] [--days 56] [--eval-days 14] [--seed 42] [--half-life 14] [--json]
// Prints, per method, the share of next-day engagements that fell inside its top-3 predicted hours.
import { parseArgs } from 'node:util'
import { seededRandom } from '@attune/kit'
import { defaultModelOptions } from '../domain/user-activity.ts'
import { replay } from './replay.ts'
import { syntheticHistory } from './synthetic.ts'

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '2000' },
    days: { type: 'string', default: '56' },
    'eval-days': { type: 'string', default: '14' },
    seed: { type: 'string', default: '42' },
    'half-life': { type: 'string', default: String(defaultModelOptions.halfLifeDays) },
    json: { type: 'boolean', default: false },
  },
})
const num = (name: string, v: string | undefined) => {
  const n = Number(v)
  if (!Number.isInteger(n) || n <= 0) {
    process.stderr.write(`--${name} must be a positive integer (got ${JSON.stringify(v)})\n`)
    process.exit(2)
  }
  return n
}
const users = num('users', values.users)
const days = num('days', values.days)
const evalDays = num('eval-days', values['eval-days'])
const seed = num('seed', values.seed)
const halfLifeDays = num('half-life', values['half-life'])
if (evalDays >= days) {
  process.stderr.write('--eval-days must be less than --days\n')
  process.exit(2)
}

const started = performance.now()
const history = syntheticHistory({ users, days, start: new Date('2026-09-01T00:00:00Z'), random: seededRandom(seed) })
const zones = new Map(history.habits.map((h) => [h.userId, h.timeZone]))
const results = replay(history.events, {
  evalDays,
  model: { ...defaultModelOptions, halfLifeDays },
  timeZoneOf: (u) => zones.get(u) ?? 'UTC',
  random: seededRandom(seed + 1),
})
const seconds = (performance.now() - started) / 1000

if (values.json) process.stdout.write(`${JSON.stringify({ users, days, evalDays, seed, halfLifeDays, events: history.events.length, results }, null, 2)}\n`)
else {
  process.stdout.write(
    `replay: ${users} users, ${days} days (${history.events.length} engagements), last ${evalDays} days predicted, top-3 hours, seed ${seed}, half-life ${halfLifeDays} d (${seconds.toFixed(1)} s)\n\n`,
  )
  process.stdout.write('method              hit rate  per user-day  engagements\n')
  for (const r of results)
    process.stdout.write(
      `${r.method.padEnd(18)}  ${r.hitRate.toFixed(4).padStart(8)}  ${r.userDayHitRate.toFixed(4).padStart(12)}  ${String(r.engagements).padStart(11)}\n`,
    )
}
