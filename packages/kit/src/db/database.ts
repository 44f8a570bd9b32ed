import { mkdirSync } from 'node:fs'
import { CamelCasePlugin, Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'

/** An open database: the root handle plus how to close it. Services get a schema-scoped view. */
export interface Database {
  readonly kind: 'postgres' | 'pglite'
  readonly root: Kysely<unknown>
  close(): Promise<void>
}

// Column names map snake_case ↔ camelCase; keys inside json/jsonb values are data (profile
// attributes, event payloads) and come back exactly as stored.
const INT8_OID = 20
const DATE_OID = 1082

/**
 * Opens Postgres (`postgres://…`) or embedded PGlite (`pglite://<dir>` on disk, `memory://` in memory).
 * int8 values come back as numbers and dates as 'yyyy-mm-dd' strings in both (a date has no time zone).
 */
export async function openDatabase(
  url: string,
  opts: { poolMax?: number; applicationName?: string; onIdleClientError?: (err: Error) => void } = {},
): Promise<Database> {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const pool = new pg.Pool({
      connectionString: url,
      max: opts.poolMax ?? 10,
      application_name: opts.applicationName ?? 'attune',
      types: {
        getTypeParser: (oid: number, format?: 'text' | 'binary') =>
          oid === INT8_OID ? Number : oid === DATE_OID ? (v: string) => v : pg.types.getTypeParser(oid, format ?? 'text'),
      },
    })
    // An idle pooled connection that Postgres drops (a restart, a failover, an admin terminating
    // backends) is reported here; unhandled, it would crash the process. The pool discards that
    // client and the next query opens a new one.
    pool.on('error', (err) => opts.onIdleClientError?.(err))
    const root = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }), plugins: [new CamelCasePlugin({ maintainNestedObjectKeys: true })] })
    return { kind: 'postgres', root, close: () => root.destroy() }
  }
  let dataDir: string | undefined
  if (url.startsWith('pglite://')) {
    dataDir = url.slice('pglite://'.length)
    mkdirSync(dataDir, { recursive: true })
  } else if (url !== 'memory://') {
    throw new Error(`DATABASE_URL must start with postgres://, pglite:// or be memory:// (got scheme ${url.split(':')[0]})`)
  }
  // Loaded only in embedded mode, so containers on Postgres never pay for it.
  const { PGlite } = await import('@electric-sql/pglite')
  const { PGliteDialect } = await import('kysely-pglite-dialect')
  const pglite = new PGlite(dataDir, { parsers: { [INT8_OID]: (v: string) => Number(v), [DATE_OID]: (v: string) => v } })
  await pglite.waitReady
  const root = new Kysely<unknown>({ dialect: new PGliteDialect(pglite), plugins: [new CamelCasePlugin({ maintainNestedObjectKeys: true })] })
  return { kind: 'pglite', root, close: () => root.destroy() }
}

/** A view of the database whose unqualified tables resolve to `schema`. */
export function schemaView<DB>(database: Database, schema: string): Kysely<DB> {
  return (database.root as Kysely<DB>).withSchema(schema)
}
