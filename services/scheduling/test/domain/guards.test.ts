// Quiet hours, frequency caps and the planner's guard order: never inside quiet hours, never over a cap, each move or skip noted.
import t from 'tap'
import { CapLedger, capPeriod } from '../../src/domain/frequency-caps.ts'
import { channelBlock, mayPersonalize } from '../../src/domain/guards.ts'
import { type CampaignTiming, planRecipient, type Recipient } from '../../src/domain/plan-deliveries.ts'
import { isQuiet, isQuietMinute, moveOutOfQuietHours } from '../../src/domain/quiet-hours.ts'

const q = { start: 22 * 60, end: 7 * 60 }

t.test('quiet hours spanning midnight', async (t) => {
  t.ok(isQuietMinute(23 * 60, q))
  t.ok(isQuietMinute(6 * 60 + 59, q))
  t.notOk(isQuietMinute(7 * 60, q))
  t.notOk(isQuietMinute(21 * 60 + 59, q))
  t.notOk(isQuietMinute(3 * 60, { start: 0, end: 0 }), 'equal start and end: none')
})

t.test('a quiet instant moves to the nearest allowed edge, in the user’s zone', async (t) => {
  const tz = 'Europe/Paris'
  const lo = new Date('2026-11-20T00:00:00Z')
  const hi = new Date('2026-11-30T00:00:00Z')
  // 22:30 Paris (21:30Z): the start edge (21:59 Paris) is 31 min away, the end (07:00) 8.5 h.
  t.equal(moveOutOfQuietHours(new Date('2026-11-25T21:30:00Z'), tz, q, lo, hi)?.toISOString(), '2026-11-25T20:59:00.000Z')
  // 05:00 Paris (04:00Z): the end (07:00 Paris = 06:00Z) is nearer.
  t.equal(moveOutOfQuietHours(new Date('2026-11-26T04:00:00Z'), tz, q, lo, hi)?.toISOString(), '2026-11-26T06:00:00.000Z')
  // The nearest edge outside the window: the other one.
  t.equal(moveOutOfQuietHours(new Date('2026-11-25T21:30:00Z'), tz, q, new Date('2026-11-25T21:00:00Z'), hi)?.toISOString(), '2026-11-26T06:00:00.000Z')
  t.equal(moveOutOfQuietHours(new Date('2026-11-25T21:30:00Z'), tz, q, new Date('2026-11-25T21:00:00Z'), new Date('2026-11-26T01:00:00Z')), undefined)
  t.equal(moveOutOfQuietHours(new Date('2026-11-25T12:00:00Z'), tz, q, lo, hi)?.toISOString(), '2026-11-25T12:00:00.000Z', 'not quiet: unchanged')
  // In summer the same local edge is an hour earlier in UTC.
  t.equal(
    moveOutOfQuietHours(new Date('2026-07-01T03:00:00Z'), tz, q, new Date('2026-06-30T00:00:00Z'), new Date('2026-07-03T00:00:00Z'))?.toISOString(),
    '2026-07-01T05:00:00.000Z',
  )
})

t.test('cap periods are local days and ISO weeks', async (t) => {
  // 23:30 UTC on Wednesday is already Thursday in Paris.
  t.equal(capPeriod(new Date('2026-11-25T23:30:00Z'), 'Europe/Paris', 'day'), 'd:2026-11-26')
  t.equal(capPeriod(new Date('2026-11-25T23:30:00Z'), 'UTC', 'day'), 'd:2026-11-25')
  t.equal(capPeriod(new Date('2026-11-29T12:00:00Z'), 'UTC', 'week'), 'w:2026-11-23')
  const ledger = new CapLedger({ max: 2, per: 'day' }, 'UTC', [new Date('2026-11-25T08:00:00Z')])
  t.ok(ledger.hasRoom(new Date('2026-11-25T20:00:00Z')))
  ledger.take(new Date('2026-11-25T20:00:00Z'))
  t.notOk(ledger.hasRoom(new Date('2026-11-25T21:00:00Z')))
  t.ok(ledger.hasRoom(new Date('2026-11-26T00:00:00Z')))
})

t.test('opt-ins, consents and personalization', async (t) => {
  const base = { channels: { push: true, email: true }, quietStart: null, quietEnd: null, nonPersonalized: false, consents: undefined }
  t.equal(channelBlock('push', base), undefined)
  t.match(channelBlock('sms', base), { guard: 'opt_in' })
  t.match(channelBlock('push', { ...base, consents: { push: 'revoked' } }), { guard: 'consent', detail: 'push consent is revoked' })
  t.equal(channelBlock('push', { ...base, consents: { push: 'unknown' } }), undefined)
  t.equal(channelBlock('social_post', { ...base, channels: {} }), undefined, 'social posts have no opt-in')
  t.notOk(mayPersonalize({ ...base, nonPersonalized: true }))
  t.notOk(mayPersonalize({ ...base, consents: { personalization: 'denied' } }))
  t.ok(mayPersonalize(base))
})

const window = { start: new Date('2026-11-25T12:00:00Z'), end: new Date('2026-11-26T12:00:00Z') }
const scoresPeakingAt = (hourIndex: number) => {
  const s = new Float32Array(24).fill(0.01)
  s[hourIndex] = 1
  s[(hourIndex + 1) % 24] = 0.5
  return s
}
const recipient = (over: Partial<Recipient>): Recipient => ({
  userId: 'u1',
  timeZone: 'UTC',
  quiet: undefined,
  cap: undefined,
  blocked: undefined,
  personalized: true,
  hourScores: scoresPeakingAt(8),
  explain: (i) => `hour ${i}`,
  ...over,
})
const timing: CampaignTiming = { strategy: 'best_time', window, audience: { hour: 3, reason: 'audience' } }

t.test('planning: best time, then quiet hours, then caps', async (t) => {
  t.match(planRecipient(recipient({}), timing, undefined), { status: 'scheduled', sendAt: new Date('2026-11-25T20:00:00Z'), reason: 'hour 8', notes: [] })
  // Best hour 20:00 UTC is quiet (from 19:30): moved to 19:29.
  const quiet = planRecipient(recipient({ quiet: { start: 19 * 60 + 30, end: 6 * 60 } }), timing, undefined)
  t.match(quiet, { status: 'scheduled', sendAt: new Date('2026-11-25T19:29:00Z'), preferredAt: new Date('2026-11-25T20:00:00Z') })
  t.match(quiet.notes, [{ guard: 'quiet_hours', action: 'moved' }])
  // The cap for Nov 25 is used up: the next best hour on Nov 26 (hour index 12+ = 00:00 onward).
  const cap = new CapLedger({ max: 1, per: 'day' }, 'UTC', [new Date('2026-11-25T09:00:00Z')])
  const capped = planRecipient(recipient({ cap }), timing, undefined)
  t.equal(capped.status, 'scheduled')
  t.ok(capped.sendAt >= new Date('2026-11-26T00:00:00Z'), 'moved to a day with room')
  t.match(capped.notes, [{ guard: 'frequency_cap', action: 'moved' }])
  t.notOk(cap.hasRoom(capped.sendAt), 'the ledger took it')
  // A fixed time on a full day is skipped, saying why.
  const full = new CapLedger({ max: 1, per: 'day' }, 'UTC', [new Date('2026-11-25T09:00:00Z')])
  const skipped = planRecipient(recipient({ cap: full }), { strategy: 'fixed', sendAt: new Date('2026-11-25T15:00:00Z'), notBefore: window.start }, undefined)
  t.match(skipped, { status: 'skipped', notes: [{ guard: 'frequency_cap', action: 'skipped', detail: /1 per day/ }] })
  t.match(planRecipient(recipient({ blocked: { guard: 'opt_in', detail: 'no' } }), timing, undefined), { status: 'skipped', notes: [{ guard: 'opt_in' }] })
  t.match(planRecipient(recipient({ personalized: false }), timing, undefined), {
    status: 'scheduled',
    sendAt: new Date('2026-11-25T15:00:00Z'),
    reason: 'audience',
    notes: [{ guard: 'non_personalized', action: 'fallback' }],
  })
  t.match(planRecipient(recipient({}), timing, { randomAt: new Date('2026-11-26T03:17:00Z') }), { group: 'holdout', sendAt: new Date('2026-11-26T03:17:00Z') })
})

t.test('property: over many random plans no delivery lands in quiet hours or over a cap', async (t) => {
  let seed = 7
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31
    return seed / 2 ** 31
  }
  const zones = ['Europe/Paris', 'America/New_York', 'Asia/Kolkata', 'Australia/Sydney', 'UTC']
  let moved = 0
  for (let n = 0; n < 300; n++) {
    const tz = zones[n % zones.length] ?? 'UTC'
    const qh = { start: Math.floor(rnd() * 24) * 60, end: Math.floor(rnd() * 24) * 60 + 30 }
    const ledger = new CapLedger({ max: 1 + Math.floor(rnd() * 2), per: 'day' }, tz, [])
    const scores = new Float32Array(48).map(() => rnd())
    const w = { start: new Date(Date.UTC(2026, 2, 27, 0, 0) + Math.floor(rnd() * 72) * 3_600_000), end: new Date(0) }
    w.end = new Date(w.start.getTime() + 48 * 3_600_000)
    const r = recipient({ timeZone: tz, quiet: qh, cap: ledger, hourScores: scores })
    const taken: Date[] = []
    for (let k = 0; k < 4; k++) {
      const plan = planRecipient(r, { strategy: 'best_time', window: w, audience: { hour: 0, reason: 'a' } }, undefined)
      if (plan.status !== 'scheduled') continue
      if (plan.notes.some((x) => x.guard === 'quiet_hours')) moved++
      t.notOk(isQuiet(plan.sendAt, tz, qh), `not quiet: ${plan.sendAt.toISOString()} ${tz}`)
      t.ok(plan.sendAt >= w.start && plan.sendAt <= w.end, 'inside the window')
      taken.push(plan.sendAt)
    }
    const perDay = new Map<string, number>()
    for (const d of taken) perDay.set(capPeriod(d, tz, 'day'), (perDay.get(capPeriod(d, tz, 'day')) ?? 0) + 1)
    for (const [, c] of perDay) t.ok(c <= 2, 'within cap')
  }
  t.ok(moved > 0, 'some plans were moved out of quiet hours')
})
