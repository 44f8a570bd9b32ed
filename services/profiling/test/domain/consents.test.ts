import t from 'tap'
import {
  type ConsentEntry,
  checkConsentChanges,
  consentState,
  decodeHistoryCursor,
  describeConsents,
  encodeHistoryCursor,
  hasConsent,
  MAX_CONSENT_CLOCK_SKEW_MS,
} from '../../src/domain/consents.ts'

const now = new Date('2026-11-25T12:00:00Z')
const at = (ms: number) => new Date(now.getTime() + ms)
const grant = (expiresAt: Date | null = null): ConsentEntry => ({
  purpose: 'analytics',
  status: 'granted',
  at: at(-60_000),
  expiresAt,
  source: 'cookie-banner',
})

t.test('consentState and hasConsent', async (t) => {
  t.equal(consentState(undefined, now), 'unknown')
  t.equal(consentState(grant(), now), 'granted')
  t.equal(consentState(grant(at(1)), now), 'granted', 'expires after now')
  t.equal(consentState(grant(now), now), 'expired', 'expires exactly now')
  t.equal(consentState({ ...grant(), status: 'denied' }, now), 'denied')
  t.equal(consentState({ ...grant(at(-1)), status: 'revoked' }, now), 'revoked', 'expiry only turns grants into expired')
  t.ok(hasConsent({ analytics: grant() }, 'analytics', now))
  t.notOk(hasConsent({ analytics: grant() }, 'personalization', now), 'unknown is no consent')
  t.notOk(hasConsent({ analytics: grant(at(-1)) }, 'analytics', now), 'expired is no consent')
  t.notOk(hasConsent({ analytics: { ...grant(), status: 'revoked' } }, 'analytics', now))
  t.notOk(hasConsent({ analytics: { ...grant(), status: 'denied' } }, 'analytics', now))
})

t.test('describeConsents lists every purpose', async (t) => {
  const d = describeConsents('u', { analytics: grant(at(3_600_000)) }, now)
  t.same(Object.keys(d.purposes), ['personalization', 'ad_personalization', 'analytics', 'email', 'push'])
  t.same(d.purposes.analytics, { state: 'granted', at: at(-60_000).toISOString(), expiresAt: at(3_600_000).toISOString(), source: 'cookie-banner' })
  t.same(d.purposes.push, { state: 'unknown', at: null, expiresAt: null, source: null })
  t.equal(d.asOf, now.toISOString())
})

t.test('checkConsentChanges', async (t) => {
  const ok = checkConsentChanges(
    [
      { purpose: 'email', status: 'granted' },
      { purpose: 'push', status: 'denied', at: at(-1000).toISOString(), source: 'app' },
    ],
    now,
  )
  t.same(ok, {
    ok: true,
    entries: [
      { purpose: 'email', status: 'granted', at: now, expiresAt: null, source: null },
      { purpose: 'push', status: 'denied', at: at(-1000), expiresAt: null, source: 'app' },
    ],
  })
  const skewed = checkConsentChanges([{ purpose: 'email', status: 'granted', at: at(1000).toISOString() }], now)
  t.same(skewed.ok && skewed.entries[0]?.at, now, 'small clock skew is recorded as now')
  const cases: [string, Parameters<typeof checkConsentChanges>[0], string][] = [
    ['future', [{ purpose: 'email', status: 'granted', at: at(MAX_CONSENT_CLOCK_SKEW_MS + 1).toISOString() }], '/consents/0/at'],
    ['expiry before at', [{ purpose: 'email', status: 'granted', expiresAt: at(-1).toISOString() }], '/consents/0/expiresAt'],
    ['expiry equal to defaulted at', [{ purpose: 'email', status: 'granted', expiresAt: now.toISOString() }], '/consents/0/expiresAt'],
    [
      'twice',
      [
        { purpose: 'email', status: 'granted' },
        { purpose: 'email', status: 'denied' },
      ],
      '/consents/1/purpose',
    ],
  ]
  for (const [name, input, field] of cases) {
    const r = checkConsentChanges(input, now)
    t.equal(r.ok, false, name)
    t.same(!r.ok && r.errors.map((e) => e.field), [field], name)
  }
})

t.test('history cursors round-trip; foreign ones are refused', async (t) => {
  const p = { at: new Date('2026-11-25T09:00:00.123Z'), id: '9007199254740993' }
  t.same(decodeHistoryCursor(encodeHistoryCursor(p)), p)
  t.equal(decodeHistoryCursor('bm9wZQ'), undefined)
  t.equal(decodeHistoryCursor(Buffer.from('1.x').toString('base64url')), undefined)
  // Ones Postgres could not read: a time past 9999, an id past bigint.
  t.equal(decodeHistoryCursor(Buffer.from('999999999999999.1').toString('base64url')), undefined)
  t.equal(decodeHistoryCursor(Buffer.from('1.9999999999999999999').toString('base64url')), undefined)
  t.same(decodeHistoryCursor(Buffer.from('1.9223372036854775807').toString('base64url')), { at: new Date(1), id: '9223372036854775807' })
})
