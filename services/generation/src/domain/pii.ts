/** What the redactor replaces, with the placeholder each kind becomes. */
export const PiiKinds = ['email', 'card', 'iban', 'phone', 'ip', 'ssn'] as const
export type PiiKind = (typeof PiiKinds)[number]

export interface Redacted {
  text: string
  /** How many of each kind were replaced (kinds with none are left out). */
  counts: Partial<Record<PiiKind, number>>
}

/** Luhn checksum: card numbers pass it, most other 13-19 digit runs (order ids, timestamps) do not. */
export function luhnValid(digits: string): boolean {
  let sum = 0
  let double = false
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48
    if (double) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
    double = !double
  }
  return sum % 10 === 0
}

// Order matters: cards and IBANs before phones, whose pattern would otherwise eat their digits.
const patterns: { kind: PiiKind; re: RegExp; accept?: (m: string) => boolean }[] = [
  { kind: 'email', re: /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g },
  {
    kind: 'card',
    re: /\b(?:\d[ -]?){12,18}\d\b/g,
    accept: (m) => {
      const digits = m.replace(/\D/g, '')
      return digits.length >= 13 && digits.length <= 19 && luhnValid(digits)
    },
  },
  { kind: 'iban', re: /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b/g },
  { kind: 'ssn', re: /\b\d{3}-\d{2}-\d{4}\b/g },
  { kind: 'ip', re: /\b(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\b/g },
  { kind: 'phone', re: /(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{2,4}(?:[ .-]?\d{2,4}){2,4}\b/g, accept: (m) => m.replace(/\D/g, '').length >= 8 },
]

const MAY_HOLD_PII = /[\d@]/

/**
 * Replaces personal data in text with `[EMAIL]`, `[PHONE]` … before the text leaves for a
 * provider. Pattern based: it errs towards redacting any long digit run that looks like a phone.
 */
export function redactPii(text: string): Redacted {
  const counts: Partial<Record<PiiKind, number>> = {}
  // Every pattern needs a digit or an @: most briefs have neither, and skip the six scans.
  if (!MAY_HOLD_PII.test(text)) return { text, counts }
  let out = text
  for (const { kind, re, accept } of patterns) {
    out = out.replace(re, (m) => {
      if (accept && !accept(m)) return m
      counts[kind] = (counts[kind] ?? 0) + 1
      return `[${kind.toUpperCase()}]`
    })
  }
  return { text: out, counts }
}

/** Adds the counts of several redactions. */
export function mergeCounts(all: Partial<Record<PiiKind, number>>[]): Partial<Record<PiiKind, number>> {
  const out: Partial<Record<PiiKind, number>> = {}
  for (const c of all) for (const [k, v] of Object.entries(c) as [PiiKind, number][]) out[k] = (out[k] ?? 0) + v
  return out
}
