import type { Kysely } from 'kysely'
import type { SchedulingDb } from '../db.ts'
import { rankBestTimes } from '../domain/best-times.ts'
import { ALL_CHANNELS } from '../domain/engagement.ts'
import { mayPersonalize, quietHoursOf } from '../domain/guards.ts'
import { explainBestTime } from '../domain/reasons.ts'
import { audienceProfile, type ModelOptions, userActivity } from '../domain/user-activity.ts'
import { type BestTimes, DAYS } from '../schemas/best-times.ts'
import { loadAudienceActivity, loadUserActivity } from '../store/activity-store.ts'
import { loadConsents } from '../store/consents-store.ts'
import { DEFAULT_CHANNELS, loadPreferences } from '../store/preferences-store.ts'
import { segmentsOfUsers } from '../store/segments-store.ts'

export interface BestTimesDeps {
  db: Kysely<SchedulingDb>
  now: Date
  model: ModelOptions
  defaultTimeZone: string
}

/** A user's best hours of the week on a channel, in their time zone, quiet hours left out, each explained. */
export async function bestTimesFor(deps: BestTimesDeps, userId: string, channel: string | undefined, count: number): Promise<BestTimes> {
  const ch = channel ?? ALL_CHANNELS
  const [prefs, consents, segments, activity] = await Promise.all([
    loadPreferences(deps.db, [userId]),
    loadConsents(deps.db, [userId]),
    segmentsOfUsers(deps.db, [userId]),
    loadUserActivity(deps.db, [userId], ch, deps.model.halfLifeDays),
  ])
  const p = prefs.get(userId)
  const segs = segments.get(userId) ?? []
  const audienceRows = await loadAudienceActivity(deps.db, ['population', ...segs.map((s) => `segment:${s}`)], ch)
  const audience = audienceProfile(
    audienceRows.get('population'),
    segs.map((s) => audienceRows.get(`segment:${s}`)).filter((r) => r !== undefined),
    deps.now,
    deps.model,
  )
  const g = {
    channels: p?.channels ?? DEFAULT_CHANNELS,
    quietStart: p?.quietStart ?? null,
    quietEnd: p?.quietEnd ?? null,
    nonPersonalized: p?.nonPersonalized ?? false,
    consents: consents.get(userId),
  }
  const personalized = mayPersonalize(g)
  const a = userActivity(activity.get(userId) ?? { all: undefined, channel: undefined }, audience, deps.now, deps.model, personalized)
  const timeZone = p?.timeZone ?? deps.defaultTimeZone
  const slots = rankBestTimes(a.dist, timeZone, deps.now, count, quietHoursOf(g))
  const total = a.dist.reduce((s, v) => s + v, 0) || 1
  return {
    userId,
    channel: ch,
    timeZone,
    source: a.source,
    confidence: a.confidence,
    events: a.events,
    reason: slots[0] ? explainBestTime(a, audience, slots[0].hourOfWeek, ch, personalized) : 'every hour is inside quiet hours',
    times: slots.map((s, i) => ({
      rank: i + 1,
      dayOfWeek: DAYS[Math.floor(s.hourOfWeek / 24)] ?? 'Monday',
      localTime: `${String(s.hourOfWeek % 24).padStart(2, '0')}:00`,
      hourOfWeek: s.hourOfWeek,
      nextAt: s.nextAt.toISOString(),
      share: Math.round((s.score / total) * 10_000) / 10_000,
    })),
  }
}
