import { type Kysely, sql } from 'kysely'
import { type Migration, Migrator } from 'kysely/migration'
import { asError } from '../errors.ts'
import type { Database } from './database.ts'

export type MigrationSet = Record<string, Migration>

export interface MigrationReport {
  applied: string[]
}

/**
 * Brings `schema` to the latest migration. Runs under a session advisory lock keyed by the
 * schema, so replicas starting together (or a Job racing a pod) migrate once.
 */
export async function migrateSchema(database: Database, schema: string, migrations: MigrationSet): Promise<MigrationReport> {
  return database.root.connection().execute(async (conn) => {
    const lockKey = sql`hashtext(${`attune.migrate.${schema}`})`
    await sql`select pg_advisory_lock(${lockKey})`.execute(conn)
    try {
      // Checked first: a service role that owns its schema may lack CREATE on the database,
      // and Postgres checks that privilege even for CREATE SCHEMA IF NOT EXISTS.
      const exists = await sql`select 1 from pg_namespace where nspname = ${schema}`.execute(conn)
      if (exists.rows.length === 0) await conn.schema.createSchema(schema).execute()
      // Raw SQL in a migration (functions, ALTERs) names its objects unqualified and lands here.
      await sql`select set_config('search_path', ${`"${schema}", public`}, false)`.execute(conn)
      const migrator = new Migrator({
        db: (conn as Kysely<unknown>).withSchema(schema),
        provider: { getMigrations: async () => migrations },
        migrationTableSchema: schema,
        // The kit's migrations and a service's are independent sets merged by name, so a kit
        // migration added later can sort before a service's applied ones; it still runs once.
        allowUnorderedMigrations: true,
      })
      const { error, results } = await migrator.migrateToLatest()
      if (error) throw asError(error)
      return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) }
    } finally {
      await sql`reset search_path`.execute(conn)
      await sql`select pg_advisory_unlock(${lockKey})`.execute(conn)
    }
  })
}
