import { BINS } from './activity-increments.ts'
import { DEFAULT_PRIOR, decayedBins, meanOf, normalize, shrink } from './activity-profile.ts'
import { decayDivisor } from './forward-decay.ts'

/** A stored activity row as the model reads it. */
export interface ActivityRow {
  /** Stored bins; times `scale` they are in forward-decay units (scale 1 when they already are). */
  bins: ArrayLike<number>
  scale?: number
  events: number
  firstAt: Date
  lastAt: Date
}

export interface ModelOptions {
  halfLifeDays: number
  /** Prior strength in effective events: with this many, a user's own history and the prior weigh the same. */
  kappa: number
  /** Fewer effective recent events than this and the times are the audience's. */
  minEvents: number
}

export const defaultModelOptions: ModelOptions = { halfLifeDays: 14, kappa: 8, minEvents: 3 }

/** The audience profile a user is smoothed toward: their segments', else the population's, else the default shape. */
export interface AudienceProfile {
  dist: Float64Array
  source: 'segment' | 'population' | 'default'
  events: number
}

/** Builds the audience profile from decayed audience rows (segments first, each smoothed toward the population). */
export function audienceProfile(population: ActivityRow | undefined, segments: ActivityRow[], now: Date, o: ModelOptions): AudienceProfile {
  const divisor = decayDivisor(now, o.halfLifeDays)
  let base: AudienceProfile = { dist: DEFAULT_PRIOR, source: 'default', events: 0 }
  if (population && population.events > 0) {
    const p = decayedBins(population.bins, divisor)
    if (p.total > 0) base = { dist: shrink(p.bins, p.total, DEFAULT_PRIOR, o.kappa), source: 'population', events: population.events }
  }
  const segs = segments
    .filter((s) => s.events > 0)
    .map((s) => {
      const d = decayedBins(s.bins, divisor)
      return d.total > 0 ? shrink(d.bins, d.total, base.dist, o.kappa * 4) : undefined
    })
    .filter((d): d is Float64Array => d !== undefined)
  const seg = meanOf(segs)
  return seg ? { dist: normalize(seg), source: 'segment', events: segments.reduce((s, r) => s + r.events, 0) } : base
}

/** A user's engagement distribution over the 168 local hours of week, and how it was reached. */
export interface UserActivity {
  dist: Float64Array
  /** `user`: enough history of their own; `audience`: too little, or personalization is off. */
  source: 'user' | 'audience'
  /** Effective (decayed) recent events behind the user part. */
  effectiveEvents: number
  /** Events recorded in total, and the span they cover. */
  events: number
  firstAt: Date | undefined
  lastAt: Date | undefined
  /** 0..1: how much of the distribution is the user's own history. */
  confidence: number
}

/** Buffers `userActivity` may work in instead of allocating, when it runs for many users in turn. */
export interface ActivityScratch {
  /** The pooled bins of one row. */
  pooled: Float64Array
  /** The user's distribution: returned as `dist`, so valid only until the next call with this scratch. */
  dist: Float64Array
}

export function activityScratch(): ActivityScratch {
  return { pooled: new Float64Array(BINS), dist: new Float64Array(BINS) }
}

/**
 * The user's distribution: their channel's history smoothed toward all their history, smoothed
 * toward the audience. With `personalized` false (the non-personalized switch, or no consent) or
 * too little history it is the audience's. With `scratch`, nothing per user is allocated and the
 * returned `dist` is overwritten by the next call (planning reads it at once, for 100k users).
 */
export function userActivity(
  rows: { channel?: ActivityRow | undefined; all?: ActivityRow | undefined },
  audience: AudienceProfile,
  now: Date,
  o: ModelOptions,
  personalized = true,
  scratch?: ActivityScratch,
): UserActivity {
  const divisor = decayDivisor(now, o.halfLifeDays)
  const all = rows.all ? decayedBins(rows.all.bins, divisor / (rows.all.scale ?? 1), scratch?.pooled) : undefined
  const audienceOnly = (): UserActivity => ({
    dist: audience.dist,
    source: 'audience',
    effectiveEvents: all?.total ?? 0,
    events: rows.all?.events ?? 0,
    firstAt: rows.all?.firstAt,
    lastAt: rows.all?.lastAt,
    confidence: 0,
  })
  if (!personalized || !all || all.total < o.minEvents) return audienceOnly()
  // The pooled `all` bins are used up here, before the channel row reuses the scratch.
  let dist = shrink(all.bins, all.total, audience.dist, o.kappa, scratch?.dist)
  let effective = all.total
  const ch = rows.channel ? decayedBins(rows.channel.bins, divisor / (rows.channel.scale ?? 1), scratch?.pooled) : undefined
  if (ch && ch.total > 0) {
    dist = shrink(ch.bins, ch.total, dist, o.kappa, scratch?.dist)
    effective = Math.max(effective, ch.total)
  }
  return {
    dist,
    source: 'user',
    effectiveEvents: effective,
    events: rows.all?.events ?? 0,
    firstAt: rows.all?.firstAt,
    lastAt: rows.all?.lastAt,
    confidence: Math.round((effective / (effective + o.kappa)) * 100) / 100,
  }
}
