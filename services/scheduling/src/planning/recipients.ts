import type { DeliveryChannel } from '@attune/contracts'
import type { Kysely } from 'kysely'
import type { SchedulingDb } from '../db.ts'
import { CapLedger, type FrequencyCap } from '../domain/frequency-caps.ts'
import { channelBlock, type GuardInputs, mayPersonalize, quietHoursOf } from '../domain/guards.ts'
import { hourInstant, type PlanWindow, type Recipient, windowHours } from '../domain/plan-deliveries.ts'
import { explainBestTime } from '../domain/reasons.ts'
import { localHoursOfWeek } from '../domain/time-zones.ts'
import { type ActivityRow, type AudienceProfile, activityScratch, audienceProfile, type ModelOptions, userActivity } from '../domain/user-activity.ts'
import { loadAudienceActivity, loadUserActivity } from '../store/activity-store.ts'
import { loadConsents } from '../store/consents-store.ts'
import { DEFAULT_CHANNELS, loadPreferences } from '../store/preferences-store.ts'
import { segmentsOfUsers } from '../store/segments-store.ts'

const NO_ACTIVITY: { all?: ActivityRow; channel?: ActivityRow } = {}

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
  consents: Awaited<ReturnType<typeof loadConsents>>
  segments: Awaited<ReturnType<typeof segmentsOfUsers>>
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
    o.needModel ? segmentsOfUsers(db, userIds) : Promise.resolve(new Map<string, readonly string[]>()),
    o.needModel ? loadUserActivity(db, userIds, o.channel, o.halfLifeDays) : Promise.resolve(new Map()),
  ])
  const scopes = ['population', ...new Set([...segments.values()].flat().map((s) => `segment:${s}`))]
  const audienceRows = o.needModel ? await loadAudienceActivity(db, scopes, o.channel) : new Map()
  return { prefs, consents, segments, activity, audienceRows }
}

/** Window scores are handed out as views of blocks this many recipients long (not one typed array each). */
const SCORE_BLOCK = 4096

/**
 * Makes the planner's view of one user at a time: guards from their preferences and consents, caps
 * from the deliveries already planned (`existing`, read under the planning lock), and the score of
 * each window hour from their activity. Window hours are mapped to local hours of week once per
 * zone, audience profiles once per set of segments, and the model works in one scratch buffer.
 */
export function recipientMaker(data: RecipientData, existing: Map<string, Date[]>, o: RecipientOptions): (userId: string) => Recipient {
  const { prefs, consents, segments, activity, audienceRows } = data
  const audiences = new Map<string, AudienceProfile>()
  const audienceOf = (segs: readonly string[]): AudienceProfile => {
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
  const scratch = activityScratch()
  let block = new Float32Array(0)
  let used = 0
  const scoresView = () => {
    if (used === SCORE_BLOCK || block.length === 0) {
      block = new Float32Array(n * SCORE_BLOCK)
      used = 0
    }
    return block.subarray(used * n, ++used * n)
  }

  return (userId) => {
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
      const a = userActivity(activity.get(userId) ?? NO_ACTIVITY, audience, o.now, o.model, personalized, scratch)
      hourScores = scoresView()
      for (let i = 0; i < n; i++) hourScores[i] = a.dist[hows[i] ?? 0] ?? 0
      // The reason of the best hour now, so the 168-bin distribution is not kept for every user.
      let top = 0
      for (let i = 1; i < n; i++) if ((hourScores[i] ?? 0) > (hourScores[top] ?? 0)) top = i
      const reason = explainBestTime(a, audience, hows[top] ?? 0, o.channel, personalized)
      explain = () => reason
    }
    return { userId, timeZone, quiet: quietHoursOf(g), cap, blocked: channelBlock(o.channel, g), personalized, hourScores, explain }
  }
}

/** Adds a recipient's window scores to the audience's sum (recipients who cannot get the channel do not count). */
export function addToAudience(sum: Float64Array, r: Recipient): void {
  if (!r.hourScores || r.blocked) return
  for (let i = 0; i < sum.length; i++) sum[i] = (sum[i] ?? 0) + (r.hourScores[i] ?? 0)
}

/** The window hour most of the audience engages in: the largest sum of scores (ties: earliest). */
export function audienceBestHour(sum: Float64Array): number {
  let best = 0
  for (let i = 1; i < sum.length; i++) if ((sum[i] ?? 0) > (sum[best] ?? 0)) best = i
  return best
}
