import type { PreferencesInput } from '@attune/contracts'
import t from 'tap'
import {
  canonicalLanguage,
  checkPreferences,
  DEFAULT_PREFERENCES,
  isTimeZone,
  mergePreferences,
  preferencesDocument,
  withDefaults,
} from '../../src/domain/preferences.ts'

const base: PreferencesInput = {
  ...DEFAULT_PREFERENCES,
  followedTopics: ['climate'],
  quietHours: { start: '22:00', end: '07:00', timeZone: 'Europe/Paris' },
  frequencyCaps: { push: { max: 3, per: 'day' } },
}
const fields = (r: ReturnType<typeof checkPreferences>) => (r.ok ? [] : r.errors.map((e) => e.field))

t.test('isTimeZone and canonicalLanguage', async (t) => {
  for (const tz of ['Europe/Paris', 'America/Argentina/Buenos_Aires', 'UTC', 'Etc/GMT+5']) t.ok(isTimeZone(tz), tz)
  for (const tz of ['Mars/Olympus', 'Europe/Pariss', 'nowhere']) t.notOk(isTimeZone(tz), tz)
  t.equal(canonicalLanguage('en-gb'), 'en-GB')
  t.equal(canonicalLanguage('ZH-hant-tw'), 'zh-Hant-TW')
  t.equal(canonicalLanguage('not a tag'), undefined)
})

t.test('checkPreferences', async (t) => {
  const ok = checkPreferences({ ...base, mutedItems: ['a', 'a'], languages: ['fr', 'FR', 'en-us'] })
  t.same(ok.ok && ok.settings.mutedItems, ['a'])
  t.same(ok.ok && ok.settings.languages, ['fr', 'en-US'])
  t.same(fields(checkPreferences({ ...base, quietHours: { start: '22:00', end: '07:00', timeZone: 'Mars/Olympus' } })), ['/quietHours/timeZone'])
  t.same(fields(checkPreferences({ ...base, quietHours: { start: '07:00', end: '07:00', timeZone: 'UTC' } })), ['/quietHours/end'])
  t.same(fields(checkPreferences({ ...base, mutedTopics: ['sport', 'climate'] })), ['/mutedTopics/1'])
  t.same(fields(checkPreferences({ ...base, languages: ['en', 'en-GB-x'] })), ['/languages/1'])
})

t.test('mergePreferences: arrays replace, objects merge, nulls clear', async (t) => {
  const r = mergePreferences(base, {
    followedTopics: ['science'],
    channels: { push: true },
    style: { length: 'short' },
    quietHours: { end: '06:00' },
    frequencyCaps: { push: { per: 'week' }, email: { max: 1, per: 'day' } },
  })
  t.ok(r.ok)
  if (!r.ok) return
  t.same(r.settings.followedTopics, ['science'])
  t.same(r.settings.channels, { ...DEFAULT_PREFERENCES.channels, push: true })
  t.same(r.settings.style, { ...DEFAULT_PREFERENCES.style, length: 'short' })
  t.same(r.settings.quietHours, { start: '22:00', end: '06:00', timeZone: 'Europe/Paris' })
  t.same(r.settings.frequencyCaps, { push: { max: 3, per: 'week' }, email: { max: 1, per: 'day' } })
  const cleared = mergePreferences(base, { quietHours: null, frequencyCaps: { push: null } })
  t.same(cleared.ok && [cleared.settings.quietHours, cleared.settings.frequencyCaps], [null, {}])
  t.same(fields(mergePreferences(DEFAULT_PREFERENCES, { quietHours: { start: '22:00' } })), ['/quietHours/end', '/quietHours/timeZone'])
  t.same(fields(mergePreferences(DEFAULT_PREFERENCES, { frequencyCaps: { sms: { per: 'day' } } })), ['/frequencyCaps/sms/max'])
  t.same(fields(mergePreferences(base, { mutedTopics: ['climate'] })), ['/mutedTopics/0'], 'the merged result is checked as a whole')
  t.same(base.frequencyCaps, { push: { max: 3, per: 'day' } }, 'input not mutated')
})

t.test('withDefaults and preferencesDocument', async (t) => {
  t.same(withDefaults(undefined), DEFAULT_PREFERENCES)
  t.same(
    withDefaults({ channels: { push: true }, retired: 1 }),
    { ...DEFAULT_PREFERENCES, channels: { ...DEFAULT_PREFERENCES.channels, push: true } },
    'old documents read with defaults; unknown keys dropped',
  )
  t.same(preferencesDocument('u', undefined), { userId: 'u', ...DEFAULT_PREFERENCES, updatedAt: null })
  const at = new Date('2026-11-25T09:00:00Z')
  t.equal(preferencesDocument('u', { document: {}, updatedAt: at }).updatedAt, at.toISOString())
})
