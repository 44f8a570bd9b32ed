// Embedded mode as a user meets it: `pnpm start` from an empty home directory, then a restart.
import type { ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startNodeProcess, waitFor } from '@attune/kit/testing'
import t from 'tap'
import { definitions } from '../src/embedded.ts'

const home = mkdtempSync(join(tmpdir(), 'attune-home-'))
const main = join(import.meta.dirname, '..', 'src', 'main.ts')
const children: ChildProcess[] = []
t.teardown(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL')
  rmSync(home, { recursive: true, force: true })
})

async function start() {
  const p = await startNodeProcess(main, { ATTUNE_HOME: home, PORT: '0', LOG_LEVEL: 'error' }, /running at (http:\/\/[\d.]+:\d+)[\s\S]*try:/)
  children.push(p.child)
  return { child: p.child, banner: p.output(), baseUrl: p.match[1] ?? '', stop: p.stop }
}
const key = (banner: string, kind: 'pk' | 'sk') => new RegExp(`(atn_${kind}_[A-Za-z0-9_-]+)`).exec(banner)?.[1] ?? ''
type Page = { items: { itemId: string; events: number }[] }

let publicKey = ''
let adminKey = ''
const posted = { id: randomUUID(), type: 'share', userId: 'embedded-tester', itemId: 'embedded-only-item' }
let before: Page = { items: [] }

t.test('first start from an empty home: keys printed, demo data loaded, ready', async (t) => {
  t.same(readdirSync(home), [])
  const { banner, baseUrl, stop } = await start()
  publicKey = key(banner, 'pk')
  adminKey = key(banner, 'sk')
  t.ok(publicKey && adminKey, 'public and admin keys are printed')
  t.match(banner, /demo data:\s+loaded/)
  t.match(banner, new RegExp(`API docs:\\s+${baseUrl}/docs`))

  const ready = await fetch(`${baseUrl}/health/ready`)
  t.equal(ready.status, 200)
  t.same(await ready.json(), { status: 'ok', checks: Object.fromEntries(definitions.map((d) => [d.name, 'ok'])) }, 'every service of the suite is ready')

  const auth = { authorization: `Bearer ${publicKey}` }
  const trending = async (): Promise<Page> =>
    (await fetch(`${baseUrl}/recommendation/v1/trending?window=7d&limit=100`, { headers: auth })).json() as Promise<Page>
  before = await waitFor(
    async () => {
      const p = await trending()
      return p.items.length === 100 ? p : undefined
    },
    { timeoutMs: 60_000, what: 'demo data to trend' },
  )
  t.match(before.items[0]?.itemId, /^article-\d{4}$/)
  const catalog = await fetch(`${baseUrl}/recommendation/v1/items/article-0001`, { headers: { authorization: `Bearer ${adminKey}` } })
  t.equal(catalog.status, 200, 'the demo articles are in the catalog')
  t.match(await catalog.json(), { itemId: 'article-0001', type: 'article', categories: ['politics'], author: 'author-02' })
  const recs = (await (await fetch(`${baseUrl}/recommendation/v1/users/user-0001/recommendations?count=5`, { headers: auth })).json()) as {
    personalized: boolean
    modelTrainedAt: string | null
    items: { itemId: string; reasons: { text: string }[] }[]
  }
  t.ok(recs.personalized && recs.modelTrainedAt, 'the demo model is trained')
  t.equal(recs.items.length, 5, 'personalized recommendations for a demo user')
  t.ok(
    recs.items.every((i) => i.reasons[0]?.text),
    'each explained',
  )
  const feed = (await (await fetch(`${baseUrl}/recommendation/v1/users/user-0001/feed?count=5`, { headers: auth })).json()) as { items: unknown[] }
  t.equal(feed.items.length, 5, 'and a feed')

  const r = await fetch(`${baseUrl}/profiling/v1/events`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ events: [posted] }),
  })
  t.equal(r.status, 202)
  await waitFor(
    async () => {
      const p = (await (await fetch(`${baseUrl}/recommendation/v1/trending?window=1h&limit=100`, { headers: auth })).json()) as Page
      return p.items.some((i) => i.itemId === posted.itemId)
    },
    { what: 'the posted event to trend' },
  )

  const admin = { authorization: `Bearer ${adminKey}` }
  const profile = (await (await fetch(`${baseUrl}/profiling/v1/profiles/user-0001`, { headers: admin })).json()) as {
    traits: { topCategories: { value: string }[]; topAuthors: unknown[]; preferredLanguage: string | null; counts: Record<string, Record<string, number>> }
  }
  t.ok(profile.traits.topCategories.length > 0, 'demo users have interests')
  t.ok(profile.traits.topAuthors.length > 0)
  t.ok(profile.traits.preferredLanguage)
  t.ok(Object.keys(profile.traits.counts['7d'] ?? {}).length > 0)
  const segments = (await (await fetch(`${baseUrl}/profiling/v1/segments`, { headers: admin })).json()) as { items: { kind: string; members: number }[] }
  t.ok(
    segments.items.some((s) => s.kind === 'rule' && s.members > 0),
    'a rule segment with members',
  )
  t.ok(
    segments.items.some((s) => s.kind === 'learned' && s.members > 0),
    'learned segments with members',
  )

  const docs = await fetch(`${baseUrl}/docs`)
  t.match(await docs.text(), /href="\/recommendation\/docs\/"/)
  const redirect = await fetch(`${baseUrl}/profiling/docs`, { redirect: 'manual' })
  t.equal(redirect.status, 302)
  t.equal(redirect.headers.get('location'), '/profiling/docs/')
  t.equal((await fetch(`${baseUrl}/profiling/docs/json`)).status, 200, 'the OpenAPI document is served')
  const unknown = await fetch(`${baseUrl}/nope/v1/x`)
  t.equal(unknown.status, 404)
  t.match(unknown.headers.get('content-type'), /application\/problem\+json/)

  t.equal(await stop(), 0, 'SIGTERM stops it cleanly')
})

t.test('restart keeps data and keys, loads nothing twice, prints no admin key', async (t) => {
  const { banner, baseUrl, stop } = await start()
  t.match(banner, /demo data:\s+already loaded/)
  t.notMatch(banner, /atn_sk_/)
  t.equal(key(banner, 'pk'), publicKey)
  const auth = { authorization: `Bearer ${publicKey}` }
  const after = (await (await fetch(`${baseUrl}/recommendation/v1/trending?window=7d&limit=100`, { headers: auth })).json()) as Page
  const counts = (p: Page) => new Map(p.items.map((i) => [i.itemId, i.events]))
  const a = counts(after)
  for (const [id, n] of counts(before)) t.ok((a.get(id) ?? 0) >= n, `${id} kept its ${n} events`)
  const lastHour = (await (await fetch(`${baseUrl}/recommendation/v1/trending?window=1h&limit=100`, { headers: auth })).json()) as Page
  t.ok(
    lastHour.items.some((i) => i.itemId === posted.itemId),
    'the event posted before the restart still counts',
  )
  const replay = await fetch(`${baseUrl}/profiling/v1/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ events: [posted] }),
  })
  t.same(await replay.json(), { accepted: 0, duplicates: [posted.id] }, 'the admin key from the first start still works; the event is remembered')
  t.equal(await stop(), 0)
})
