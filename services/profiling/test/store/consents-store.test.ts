import t from 'tap'
import { hasConsent } from '../../src/domain/consents.ts'
import { DEFAULT_PREFERENCES } from '../../src/domain/preferences.ts'
import { currentConsents, insertConsents } from '../../src/store/consents-store.ts'
import { eraseUserPreferencesAndConsents, exportUserPreferencesAndConsents, savePreferences } from '../../src/store/preferences-store.ts'
import { storeContext } from '../support/store-context.ts'

const { db } = await storeContext(t)

const now = new Date('2026-11-25T12:00:00Z')
const h = (hours: number) => new Date(now.getTime() + hours * 3_600_000)
const entry = (purpose: 'analytics' | 'personalization', status: 'granted' | 'denied' | 'revoked', at: Date, expiresAt: Date | null = null) => ({
  purpose,
  status,
  at,
  expiresAt,
  source: null,
})

t.test('currentConsents: the latest choice per purpose as of now, for hasConsent to evaluate', async (t) => {
  await insertConsents(db, 'u1', [entry('analytics', 'granted', h(-3)), entry('personalization', 'granted', h(-3), h(-1))], h(-3))
  await insertConsents(db, 'u1', [entry('analytics', 'revoked', h(-2))], h(-2))
  await insertConsents(db, 'u1', [entry('analytics', 'granted', h(-5))], h(-1))
  await insertConsents(db, 'u2', [entry('analytics', 'granted', h(-1))], h(-1))
  const state = await currentConsents(db, 'u1', now)
  t.same(Object.keys(state).sort(), ['analytics', 'personalization'])
  t.equal(state.analytics?.status, 'revoked', 'latest by at, not by arrival')
  t.notOk(hasConsent(state, 'analytics', now))
  t.notOk(hasConsent(state, 'personalization', now), 'expired grant')
  t.ok(hasConsent(state, 'personalization', h(-2)), 'granted before it expired')
  t.ok(hasConsent(await currentConsents(db, 'u2', now), 'analytics', now))
  const earlier = await currentConsents(db, 'u1', h(-4))
  t.same(Object.keys(earlier), ['analytics'], 'as of an earlier time: only what was chosen by then')
  t.equal(earlier.analytics?.at.toISOString(), h(-5).toISOString())
  t.same(await currentConsents(db, 'u1', h(-6)), {}, 'nothing was in force yet')
})

t.test('export returns everything stored about the user; erasure deletes it and nothing else', async (t) => {
  await savePreferences(db, 'u1', { ...DEFAULT_PREFERENCES, channels: { ...DEFAULT_PREFERENCES.channels, in_app: false } }, now)
  const exported = await exportUserPreferencesAndConsents(db, 'u1')
  t.equal(exported.preferences?.updatedAt.toISOString(), now.toISOString())
  t.same(exported.preferences?.document.channels, { ...DEFAULT_PREFERENCES.channels, in_app: false }, 'document keys kept as written')
  t.equal(exported.consentRecords.length, 4)
  t.same(
    exported.consentRecords.map((r) => r.at.toISOString()),
    [h(-5), h(-3), h(-3), h(-2)].map((d) => d.toISOString()),
    'oldest first',
  )
  const erased = await db.transaction().execute((trx) => eraseUserPreferencesAndConsents(trx, 'u1'))
  t.same(erased, { preferences: 1, consentRecords: 4 })
  t.same(await exportUserPreferencesAndConsents(db, 'u1'), { preferences: null, consentRecords: [] })
  t.equal((await exportUserPreferencesAndConsents(db, 'u2')).consentRecords.length, 1, 'other users untouched')
})
