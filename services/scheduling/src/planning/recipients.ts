import type { DeliveryChannel } from '@attune/contracts'
import type { Kysely } from 'kysely'
import type { SchedulingDb } from '../db.ts'
import { CapLedger, type FrequencyCap } from '../domain/frequency-caps.ts'
import { channelBlock, type GuardInputs, mayPersonalize, quietHoursOf } from '../domain/guards.ts'
import { hourInstant, type PlanWindow, type Recipient, windowHours } from '../domain/plan-deliveries.ts'
import { explainBestTime } from '../domain/reasons.ts'
import { localHoursOfWeek } from '../domain/time-zones.ts'
import { type AudienceProfile, audienceProfile, type ModelOptions, userActivity } from '../domain/user-activity.ts'
import { loadAudienceActivity, loadUserActivity } from '../store/activity-store.ts'
import { loadConsents } from '../store/consents-store.ts'
import { DEFAULT_CHANNELS, loadPreferences } from '../store/preferences-store.ts'
import { segmentsOfUsers } from '../store/segments-store.ts'

export interface RecipientOptions {
  channel: DeliveryChannel
  /** The window hours are scored over; undefined for a fixed time (no model needed). */
  window: PlanWindow | undefined
  now: Date
  model: ModelOptions
  defaultTimeZone: string
}

/** What planning reads about the recipients before its transaction: mirrors, models, audiences. */
export interface RecipientData {
  prefs: Awaited<ReturnType<typeof loadPreferences>>
  consents: Map<string, Record<string, string>>
  segments: Map<string, string[]>
  activity: Awaited<ReturnType<typeof loadUserActivity>>
  audienceRows: Awaited<ReturnType<typeof loadAudienceActivity>>
}

/**
 * Reads everything the planner needs per user in a few set queries, in parallel on the pool:
 * preferences and consents (guards), segments and activity rows (the model, smoothed toward their
 * audience). Done before the planning transaction, which only reads what caps count.
 */
export async function loadRecipientData(
  db: Kysely<SchedulingDb>,
  userIds: string[],
  o: { channel: string; needModel: boolean; halfLifeDays: number },
): Promise<RecipientData> {
  const [prefs, consents, segments, activity] = await Promise.all([
    loadPreferences(db, userIds),
    loadConsents(db, userIds),
    o.needModel ? segmentsOfUsers(db, userIds) : Promise.resolve(new Map<string, string[]>()),
    o.needModel ? loadUserActivity(db, userIds, o.channel, o.halfLifeDays) : Promise.resolve(new Map()),
  ])
  const scopes = ['population', ...new Set([...segments.values()].flat().map((s) => `segment:${s}`))]
  const audienceRows = o.needModel ? await loadAudienceActivity(db, scopes, o.channel) : new Map()
  return { prefs, consents, segments, activity, audienceRows }
}

/**
 * The planner's view of each user: guards from their preferences and consents, caps from the
 * deliveries already planned (`existing`, read under the planning lock), and the score of each
 * window hour from their activity. Window hours are mapped to local hours of week once per zone.
 */
export function buildRecipients(data: RecipientData, userIds: string[], existing: Map<string, Date[]>, o: RecipientOptions): Recipient[] {
  const { prefs, consents, segments, activity, audienceRows } = data
  const audiences = new Map<string, AudienceProfile>()
  const audienceOf = (segs: string[]): AudienceProfile => {
    const key = segs.join(',')
    let a = audiences.get(key)
    if (!a) {
      const rows = segs.map((s) => audienceRows.get(`segment:${s}`)).filter((r) => r !== undefined)
      a = audienceProfile(audienceRows.get('population'), rows, o.now, o.model)
      audiences.set(key, a)
    }
    return a
  }
  const n = o.window ? windowHours(o.window) : 0
  const zoneHours = new Map<string, Int16Array>()
  const hoursIn = (tz: string) => {
    let h = zoneHours.get(tz)
    if (!h && o.window) {
      h = localHoursOfWeek(hourInstant(o.window, 0), n, tz)
      zoneHours.set(tz, h)
    }
    return h
  }

  return userIds.map((userId) => {
    const p = prefs.get(userId)
    const g: GuardInputs = {
      channels: p?.channels ?? DEFAULT_CHANNELS,
      quietStart: p?.quietStart ?? null,
      quietEnd: p?.quietEnd ?? null,
      nonPersonalized: p?.nonPersonalized ?? false,
      consents: consents.get(userId),
    }
    const timeZone = p?.timeZone ?? o.defaultTimeZone
    const personalized = mayPersonalize(g)
    const capSetting: FrequencyCap | undefined = p?.frequencyCaps[o.channel]
    const cap = capSetting ? new CapLedger(capSetting, timeZone, existing.get(userId) ?? []) : undefined
    let hourScores: Float32Array | undefined
    let explain = (_i: number) => 'fixed time'
    const hows = hoursIn(timeZone)
    if (hows) {
      const audience = audienceOf(segments.get(userId) ?? [])
      const a = userActivity(activity.get(userId) ?? { all: undefined, channel: undefined }, audience, o.now, o.model, personalized)
      hourScores = new Float32Array(n)
      for (let i = 0; i < n; i++) hourScores[i] = a.dist[hows[i] ?? 0] ?? 0
      // The reason of the best hour now, so the 168-bin distribution is not kept for every user.
      let top = 0
      for (let i = 1; i < n; i++) if ((hourScores[i] ?? 0) > (hourScores[top] ?? 0)) top = i
      const reason = explainBestTime(a, audience, hows[top] ?? 0, o.channel, personalized)
      explain = () => reason
    }
    return { userId, timeZone, quiet: quietHoursOf(g), cap, blocked: channelBlock(o.channel, g), personalized, hourScores, explain }
  })
}

/** The window hour most of the audience engages in: the sum of every recipient's scores. */
export function audienceBestHour(recipients: Recipient[], hours: number): number {
  const sum = new Float64Array(hours)
  for (const r of recipients) if (r.hourScores && !r.blocked) for (let i = 0; i < hours; i++) sum[i] = (sum[i] ?? 0) + (r.hourScores[i] ?? 0)
  let best = 0
  for (let i = 1; i < hours; i++) if ((sum[i] ?? 0) > (sum[best] ?? 0)) best = i
  return best
}
