// Postgres array literals built in one pass, sent as a single text parameter and cast in SQL
// (`$1::text[]`). For the 100k-element arrays of campaign planning this is several times cheaper
// than the driver's per-element conversion and escaping, and PGlite parses the same literal.

const QUOTE_OR_BACKSLASH = /["\\]/
const QUOTES_AND_BACKSLASHES = /["\\]/g

/** `{"a","b",NULL}`: each text quoted, `"` and `\` escaped; null is SQL NULL. */
export function textArray(values: readonly (string | null)[]): string {
  // Joined once, so the driver gets a flat string (a `+=` rope is flattened when it is measured and written).
  const parts = new Array<string>(values.length)
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    if (v === null || v === undefined) parts[i] = 'NULL'
    else if (QUOTE_OR_BACKSLASH.test(v)) parts[i] = `"${v.replace(QUOTES_AND_BACKSLASHES, '\\$&')}"`
    else parts[i] = `"${v}"`
  }
  return `{${parts.join(',')}}`
}

/** `{1,2.5,3}`: finite numbers (integers, or epoch milliseconds for `to_timestamp(x / 1000)`). */
export function numberArray(values: ArrayLike<number>): string {
  const parts = new Array<string>(values.length)
  for (let i = 0; i < values.length; i++) {
    const v = values[i] ?? Number.NaN
    if (!Number.isFinite(v)) throw new Error(`numberArray: ${v} at ${i} is not a finite number`)
    parts[i] = String(v)
  }
  return `{${parts.join(',')}}`
}
