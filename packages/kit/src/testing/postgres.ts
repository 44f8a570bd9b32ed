import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { GenericContainer, Wait } from 'testcontainers'

export interface TestPostgres {
  /** URL of a fresh, empty database made for this caller. */
  url: string
  drop(): Promise<void>
}

let containerUrl: Promise<string> | undefined

async function serverUrl(): Promise<string> {
  const fromEnv = process.env.TEST_DATABASE_URL
  if (fromEnv) return fromEnv
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore', timeout: 5000 })
  } catch {
    throw new Error('No Postgres for tests: set TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test) or run a Docker engine')
  }
  containerUrl ??= new GenericContainer('postgres:16-alpine')
    .withEnvironment({ POSTGRES_PASSWORD: 'test', POSTGRES_DB: 'test' })
    .withExposedPorts(5432)
    .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
    .start()
    .then((c) => `postgres://postgres:test@${c.getHost()}:${c.getMappedPort(5432)}/test`)
  return containerUrl
}

/** Creates a fresh database on the test server (one per test file), dropped by `drop()`. */
export async function createTestDatabase(): Promise<TestPostgres> {
  const base = await serverUrl()
  const name = `attune_t_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: base })
  await admin.connect()
  await admin.query(`create database ${name}`)
  await admin.end()
  const url = new URL(base)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: base })
      await c.connect()
      await c.query(`drop database if exists ${name} with (force)`)
      await c.end()
    },
  }
}
