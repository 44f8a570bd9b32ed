import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'

const root = join(import.meta.dirname, '..', '..')
const run = (script: string, args: string[]) => spawnSync(process.execPath, [join(root, 'src', 'evaluation', script), ...args], { cwd: root, encoding: 'utf8' })

t.test('generate writes u.data, eval prints a table for it', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'attune-eval-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const file = join(dir, 'u.data')
  const gen = run('generate.ts', ['--out', file, '--users', '150', '--items', '400', '--interactions', '6000', '--seed', '3'])
  t.equal(gen.status, 0, gen.stderr)
  const lines = readFileSync(file, 'utf8').trim().split('\n')
  t.ok(lines.length > 5000)
  t.match(lines[0], /^\d+\t\d+\t[1-5]\t\d+$/)

  const ev = run('cli.ts', ['--data', file, '--recommender', 'popularity,sar,ease', '--k', '5', '--seed', '7'])
  t.equal(ev.status, 0, ev.stderr)
  t.match(ev.stdout, /recommender\s+precision@k\s+recall@k\s+ndcg@k/)
  const rows = new Map(
    ev.stdout
      .split('\n')
      .filter((l) => /^(popularity|sar|ease)\s/.test(l))
      .map((l) => {
        const [name, , , ndcg] = l.trim().split(/\s+/)
        return [name as string, Number(ndcg)]
      }),
  )
  t.equal(rows.size, 3)
  for (const v of rows.values()) t.ok(v > 0 && v <= 1)
  t.ok((rows.get('sar') as number) > (rows.get('popularity') as number), 'personalised beats popularity on clustered data')
})

t.test('--synthetic generates in place; bad arguments exit 2 with usage', async (t) => {
  const ev = run('cli.ts', ['--synthetic', '40,50,1200', '--recommender', 'popularity'])
  t.equal(ev.status, 0, ev.stderr)
  t.match(ev.stdout, /synthetic 40,50,1200/)
  const bad = run('cli.ts', ['--synthetic', '40,50,1200', '--recommender', 'nope'])
  t.equal(bad.status, 2)
  t.match(bad.stderr, /unknown recommender nope/)
  t.equal(run('cli.ts', []).status, 2)
})
