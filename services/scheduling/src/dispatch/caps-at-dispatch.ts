import type { DeliveryChannel } from '@attune/contracts'
import type { Kysely } from 'kysely'
import type { SchedulingDb } from '../db.ts'
import { CapLedger } from '../domain/frequency-caps.ts'
import { sentTimes, userChannelKey } from '../store/dispatch-store.ts'
import type { UserPreferences } from '../store/preferences-store.ts'

/** A week and a day back covers any local ISO week or day that `now` falls in. */
const LOOKBACK_MS = 8 * 86_400_000

/**
 * Frequency caps again at dispatch. Planning counts what is planned or sent, but a delivery planned
 * before others were sent can still go over the cap by send time (the cap was set or lowered since,
 * the time zone changed, a retry moved into a busier day). For the capped users of a batch (one
 * query, only when there are any) this counts what was sent in the week before `now`; `take`
 * answers why a delivery is over the cap now, or takes its slot (so two in one batch count too).
 */
export async function capsAtDispatch(
  db: Kysely<SchedulingDb>,
  claimed: readonly { userId: string; channel: DeliveryChannel }[],
  prefs: Map<string, UserPreferences>,
  now: Date,
  defaultTimeZone: string,
): Promise<{ take(d: { userId: string; channel: DeliveryChannel }): string | undefined }> {
  const capped = claimed.filter((d) => prefs.get(d.userId)?.frequencyCaps[d.channel])
  const sent = await sentTimes(db, [...new Set(capped.map((d) => d.userId))], [...new Set(capped.map((d) => d.channel))], new Date(now.getTime() - LOOKBACK_MS))
  const ledgers = new Map<string, CapLedger>()
  return {
    take(d) {
      const p = prefs.get(d.userId)
      const cap = p?.frequencyCaps[d.channel]
      if (!cap) return undefined
      const key = userChannelKey(d.userId, d.channel)
      let ledger = ledgers.get(key)
      if (!ledger) {
        ledger = new CapLedger(cap, p.timeZone ?? defaultTimeZone, sent.get(key) ?? [])
        ledgers.set(key, ledger)
      }
      if (!ledger.hasRoom(now)) return ledger.describe(now)
      ledger.take(now)
      return undefined
    },
  }
}
