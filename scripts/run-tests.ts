// The one test command (`pnpm test`): static checks (types, lint, OpenAPI drift, deploy manifests), then every tap
// test file against real Postgres and a real Kafka protocol peer, then one line `N passed, N failed`.
import { spawn, spawnSync } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { join } from 'node:path'
import { startKcatMockCluster } from '@attune/kit/testing'
import { Parser } from 'tap-parser'

const root = join(import.meta.dirname, '..')
const bin = (name: string) => join(root, 'node_modules', '.bin', name)
let passed = 0
let failed = 0

function check(name: string, cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' })
  if (r.status === 0) passed++
  else {
    failed++
    process.stderr.write(`check failed: ${name}\n`)
  }
}

function portAnswers(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port, timeout: 1000 }, () => {
      s.end()
      resolve(true)
    })
    s.on('error', () => resolve(false))
    s.on('timeout', () => {
      s.destroy()
      resolve(false)
    })
  })
}

function commandExists(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0
}

/** Top-level test points of each file's saved TAP output. */
function countResults(dir: string): { pass: number; fail: number } {
  let pass = 0
  let fail = 0
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name)
      if (entry.isDirectory()) walk(p)
      else if (entry.name.endsWith('.tap')) {
        const parser = new Parser()
        parser.on('complete', (r: { pass: number; fail: number; ok: boolean; count: number }) => {
          pass += r.pass
          fail += r.fail
          // A file that crashed before reporting any point still counts as one failure.
          if (!r.ok && r.fail === 0) fail++
        })
        parser.end(readFileSync(p, 'utf8'))
      }
    }
  }
  try {
    walk(dir)
  } catch {}
  return { pass, fail }
}

const only = process.argv.slice(2)
if (only.length === 0) {
  check('typecheck', bin('tsc'), ['-p', 'tsconfig.json'])
  check('lint', bin('biome'), ['check', '.'])
  check('openapi drift', process.execPath, ['scripts/generate-openapi.ts', '--check'])
  check('deploy manifests', 'bash', ['scripts/check-deploy.sh'])
}

const env = { ...process.env }
if (!env.TEST_DATABASE_URL && (await portAnswers('127.0.0.1', 5432))) env.TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test'
let stopKafka: (() => Promise<void>) | undefined
if (!env.KAFKA_BROKERS && commandExists('kcat')) {
  const peer = await startKcatMockCluster()
  env.KAFKA_BROKERS = peer.brokers
  stopKafka = peer.stop
}

const resultsDir = join(root, '.tap', 'test-results')
rmSync(resultsDir, { recursive: true, force: true })
const code = await new Promise<number>((resolve) => {
  const child = spawn(process.execPath, [join(root, 'node_modules', 'tap', 'dist', 'esm', 'run.mjs'), ...only], { cwd: root, env, stdio: 'inherit' })
  child.on('exit', (c) => resolve(c ?? 1))
})
await stopKafka?.()

const tests = countResults(resultsDir)
passed += tests.pass
failed += tests.fail
// tap's exit code also covers coverage thresholds; count that as a failed check.
if (code !== 0 && tests.fail === 0) failed++
const summary = `${passed} passed, ${failed} failed`
mkdirSync(join(root, '.tap'), { recursive: true })
writeFileSync(join(root, '.tap', 'summary.txt'), `${summary}\n`)
process.stdout.write(`${summary}\n`)
process.exit(failed > 0 ? 1 : 0)
