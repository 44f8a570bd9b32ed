import type { DeliveryChannel } from '@attune/contracts'
import { minutesOf, type QuietHours } from './quiet-hours.ts'

/** Preferences and consents as the guards read them (profiling's defaults when the user set none). */
export interface GuardInputs {
  channels: Record<string, boolean | undefined>
  quietStart: string | null
  quietEnd: string | null
  nonPersonalized: boolean
  consents: Record<string, string> | undefined
}

/** Consent states that forbid a purpose (an `unknown` one does not: the channel opt-in is the user's say). */
const REFUSED = new Set(['denied', 'revoked', 'expired'])

/** The consent purpose a channel's messages need, when there is one. */
const channelPurpose: Partial<Record<DeliveryChannel, string>> = { email: 'email', push: 'push' }

/**
 * Why a user cannot receive `channel`, if so: their opt-in for it is off (social posts have no
 * opt-in: they are public), or they refused the channel's consent purpose.
 */
export function channelBlock(channel: DeliveryChannel, g: GuardInputs): { guard: 'opt_in' | 'consent'; detail: string } | undefined {
  if (channel !== 'social_post' && g.channels[channel] !== true) return { guard: 'opt_in', detail: `the user has not opted in to ${channel}` }
  const purpose = channelPurpose[channel]
  const state = purpose ? g.consents?.[purpose] : undefined
  if (purpose && state && REFUSED.has(state)) return { guard: 'consent', detail: `${purpose} consent is ${state}` }
  return undefined
}

/** False under the non-personalized switch or when personalization consent was refused. */
export function mayPersonalize(g: GuardInputs): boolean {
  const state = g.consents?.personalization
  return !g.nonPersonalized && !(state && REFUSED.has(state))
}

export function quietHoursOf(g: GuardInputs): QuietHours | undefined {
  if (!g.quietStart || !g.quietEnd) return undefined
  const q = { start: minutesOf(g.quietStart), end: minutesOf(g.quietEnd) }
  return q.start === q.end ? undefined : q
}
