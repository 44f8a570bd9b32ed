/**
 * What Postgres can be sent. A Date past 9999 is written `+010000-…` by `toISOString` (PGlite
 * refuses it) and Postgres's ISO input has no year 0000: routes check times they take from ids
 * or cursors against these before a query, where they failed as a 500.
 */
export const FIRST_STORABLE_MS = Date.parse('0001-01-01T00:00:00Z')
export const LAST_STORABLE_MS = Date.parse('9999-12-31T23:59:59.999Z')

/** A UUID in the hyphenated form Postgres's uuid type reads, in either case (no `urn:uuid:`, no braces). */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
