import { Channels, type Preferences, type PreferencesInput, type PreferencesPatch, type ProblemFieldError } from '@attune/contracts'

/**
 * What a user who never chose anything gets. Only in-app messages are on: email, push, sms and
 * webhooks need an explicit opt-in.
 */
export const DEFAULT_PREFERENCES: PreferencesInput = {
  followedTopics: [],
  mutedTopics: [],
  mutedAuthors: [],
  mutedItems: [],
  channels: { email: false, push: false, sms: false, in_app: true, webhook: false },
  quietHours: null,
  frequencyCaps: {},
  languages: [],
  style: { formality: 'neutral', length: 'medium', emoji: 'some', readingLevel: 'standard' },
  nonPersonalized: false,
}

export type PreferencesResult = { ok: true; settings: PreferencesInput } | { ok: false; errors: ProblemFieldError[] }

/** True when `timeZone` is a time zone this runtime knows (IANA names and their aliases). */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone })
    return true
  } catch {
    return false
  }
}

/** The canonical form of a BCP 47 tag (`en-gb` → `en-GB`), or undefined when it is not well-formed. */
export function canonicalLanguage(tag: string): string | undefined {
  try {
    return Intl.getCanonicalLocales(tag)[0]
  } catch {
    return undefined
  }
}

const unique = <T>(values: T[]): T[] => [...new Set(values)]

/**
 * Checks what the schema cannot say (the time zone exists, language tags are well-formed, quiet
 * hours have a length, no topic is both followed and muted) and normalises: repeats dropped,
 * language tags canonical.
 */
export function checkPreferences(input: PreferencesInput): PreferencesResult {
  const errors: ProblemFieldError[] = []
  const err = (field: string, message: string) => errors.push({ field, in: 'body', message })
  const languages: string[] = []
  input.languages.forEach((tag, i) => {
    const canonical = canonicalLanguage(tag)
    if (canonical) languages.push(canonical)
    else err(`/languages/${i}`, 'is not a well-formed BCP 47 language tag')
  })
  const q = input.quietHours
  if (q) {
    if (!isTimeZone(q.timeZone)) err('/quietHours/timeZone', `${JSON.stringify(q.timeZone)} is not a known IANA time zone`)
    if (q.start === q.end) err('/quietHours/end', 'must differ from start')
  }
  const followed = new Set(input.followedTopics)
  input.mutedTopics.forEach((topic, i) => {
    if (followed.has(topic)) err(`/mutedTopics/${i}`, `${JSON.stringify(topic)} is also in followedTopics`)
  })
  if (errors.length > 0) return { ok: false, errors }
  return {
    ok: true,
    settings: {
      ...input,
      followedTopics: unique(input.followedTopics),
      mutedTopics: unique(input.mutedTopics),
      mutedAuthors: unique(input.mutedAuthors),
      mutedItems: unique(input.mutedItems),
      languages: unique(languages),
    },
  }
}

/**
 * Applies a merge patch: arrays replace, objects merge key by key, `quietHours: null` clears the
 * quiet hours and a null frequency cap removes it. Then checks the result as a whole; fields the
 * merge leaves incomplete (quiet hours or a cap that had nothing to merge into) are named.
 */
export function mergePreferences(current: PreferencesInput, patch: PreferencesPatch): PreferencesResult {
  const errors: ProblemFieldError[] = []
  const missing = (field: string) => errors.push({ field, in: 'body', message: 'is required: there is nothing stored to merge it into' })

  let quietHours = current.quietHours
  if (patch.quietHours === null) quietHours = null
  else if (patch.quietHours) {
    const merged = { ...current.quietHours, ...patch.quietHours }
    const { start, end, timeZone } = merged
    if (start === undefined) missing('/quietHours/start')
    if (end === undefined) missing('/quietHours/end')
    if (timeZone === undefined) missing('/quietHours/timeZone')
    if (start !== undefined && end !== undefined && timeZone !== undefined) quietHours = { start, end, timeZone }
  }

  const frequencyCaps = { ...current.frequencyCaps }
  for (const channel of Channels) {
    const cap = patch.frequencyCaps?.[channel]
    if (cap === undefined) continue
    if (cap === null) {
      delete frequencyCaps[channel]
      continue
    }
    const { max, per } = { ...current.frequencyCaps[channel], ...cap }
    if (max === undefined) missing(`/frequencyCaps/${channel}/max`)
    if (per === undefined) missing(`/frequencyCaps/${channel}/per`)
    if (max !== undefined && per !== undefined) frequencyCaps[channel] = { max, per }
  }
  if (errors.length > 0) return { ok: false, errors }

  return checkPreferences({
    followedTopics: patch.followedTopics ?? current.followedTopics,
    mutedTopics: patch.mutedTopics ?? current.mutedTopics,
    mutedAuthors: patch.mutedAuthors ?? current.mutedAuthors,
    mutedItems: patch.mutedItems ?? current.mutedItems,
    channels: { ...current.channels, ...definedOnly(patch.channels) },
    quietHours,
    frequencyCaps,
    languages: patch.languages ?? current.languages,
    style: { ...current.style, ...definedOnly(patch.style) },
    nonPersonalized: patch.nonPersonalized ?? current.nonPersonalized,
  })
}

function definedOnly<T extends object>(o: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>
}

/**
 * The settings as stored, with defaults under them: a document written before a setting existed
 * reads that setting as its default.
 */
export function withDefaults(stored: Record<string, unknown> | undefined): PreferencesInput {
  const doc = (stored ?? {}) as Partial<PreferencesInput>
  const known = Object.fromEntries(Object.keys(DEFAULT_PREFERENCES).flatMap((k) => (k in doc ? [[k, doc[k as keyof PreferencesInput]]] : [])))
  return {
    ...DEFAULT_PREFERENCES,
    ...known,
    channels: { ...DEFAULT_PREFERENCES.channels, ...doc.channels },
    style: { ...DEFAULT_PREFERENCES.style, ...doc.style },
  }
}

/** The API document for a user: stored settings (or the defaults) and when they last changed (null: never). */
export function preferencesDocument(userId: string, stored: { document: Record<string, unknown>; updatedAt: Date } | undefined): Preferences {
  return { userId, ...withDefaults(stored?.document), updatedAt: stored ? stored.updatedAt.toISOString() : null }
}
