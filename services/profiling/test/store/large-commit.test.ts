import { randomUUID } from 'node:crypto'
import { MAX_PARAMETER_CHARS } from '@attune/kit'
import type { Kysely } from 'kysely'
import pino from 'pino'
import t from 'tap'
import type { ProfilingDb } from '../../src/db.ts'
import { collectEvents } from '../../src/domain/collect-events.ts'
import { applyInteractionTraits } from '../../src/store/apply-interaction-traits.ts'
import { insertNewEvents } from '../../src/store/events-store.ts'
import { profileReader } from '../../src/store/profile-reader.ts'
import { storeContext } from '../support/store-context.ts'

/** Each statement's kind and its string values, as Kysely is given them. */
function recording() {
  const statements: { kind: string; strings: string[] }[] = []
  const strings = (node: unknown, into: string[]): string[] => {
    if (Array.isArray(node)) for (const n of node) strings(n, into)
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>
      if (o.kind === 'ValueNode' && typeof o.value === 'string') into.push(o.value)
      for (const v of Object.values(o)) strings(v, into)
    }
    return into
  }
  return {
    statements,
    on: (q: Kysely<ProfilingDb>): Kysely<ProfilingDb> =>
      q.withPlugin({
        transformQuery: (args) => {
          statements.push({ kind: args.node.kind, strings: strings(args.node, []) })
          return args.node
        },
        transformResult: async (args) => args.result,
      }),
  }
}

// A group commit of many requests: the events and the trait deltas go to Postgres as several JSON
// parameters of at most MAX_PARAMETER_CHARS each, in one transaction.
const { db, schema } = await storeContext(t)

const now = new Date('2026-11-25T12:00:00Z')
const received = (n: number, users: number) => {
  const r = collectEvents(
    Array.from({ length: n }, (_, i) => ({
      id: randomUUID(),
      type: 'view' as const,
      userId: i === 1000 ? 'large-\u{1F600}' : i === 1001 ? 'large-\uFF21' : `large-${i % users}`,
      itemId: `item-${i}`,
      time: now.toISOString(),
    })),
    now,
  )
  if (!r.ok) throw new Error('invalid events')
  return r.events.map((event) => ({ event, receivedAt: now }))
}
/** Rows of `table` whose user id starts with `prefix`. */
const rowsOf = async (table: 'events' | 'profiles', prefix: string) =>
  Number(
    (
      await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('userId', 'like', `${prefix}%`)
        .executeTakeFirstOrThrow()
    ).n,
  )

t.test('a commit of 1,600 events over 1,600 users: every event stored once and counted once, in pieces', async (t) => {
  const events = received(1600, 1600)
  const already = events.slice(0, 3)
  await insertNewEvents(db, already)
  const rec = recording()
  const inserted = await db.transaction().execute(async (trx) => {
    const fresh = await insertNewEvents(rec.on(trx), events)
    const stored = events.filter((e) => fresh.has(e.event.interaction.id))
    await applyInteractionTraits(
      rec.on(trx),
      schema,
      stored.map((e) => ({ interaction: e.event.interaction, receivedAt: now })),
      now,
      pino({ level: 'silent' }),
    )
    return fresh
  })
  t.equal(inserted.size, 1597, 'the three stored before are not new')
  t.notOk([...already].some((e) => inserted.has(e.event.interaction.id)))
  const inserts = rec.statements.filter((s) => s.kind === 'InsertQueryNode')
  const calls = rec.statements.filter((s) => s.kind === 'RawNode')
  t.ok(inserts.length > 1 && calls.length > 1, `${inserts.length} event inserts, ${calls.length} trait calls`)
  const longest = Math.max(...rec.statements.flatMap((s) => s.strings.map((x) => x.length)))
  t.ok(longest > MAX_PARAMETER_CHARS / 2 && longest <= MAX_PARAMETER_CHARS, `the longest parameter: ${longest} characters`)
  // Across pieces too, rows come in the order Postgres locks them in: uuids byte by byte, profile
  // ids in `collate "C"` (UTF-8 byte) order.
  const keys = (statements: typeof rec.statements, key: 'id' | 'u') =>
    statements.flatMap((s) =>
      s.strings.filter((x) => x.startsWith('[')).flatMap((x) => (JSON.parse(x) as Record<string, string>[]).map((r) => r[key] as string)),
    )
  const ascending = (xs: string[]) => xs.every((x, i) => i === 0 || Buffer.compare(Buffer.from(xs[i - 1] as string), Buffer.from(x)) < 0)
  const ids = keys(inserts, 'id')
  const users = keys(calls, 'u')
  t.equal(ids.length, 1600)
  t.equal(users.length, 1597)
  t.ok(ascending(ids), 'event ids ascend across the inserts')
  t.ok(ascending(users), 'profile ids ascend across the calls')
  t.equal(await rowsOf('events', 'large-'), 1600)
  const reader = profileReader(db, schema, () => now)
  const views = async (id: string) => (await reader.read(id))?.daily.filter((d) => d.eventType === 'view').reduce((a, d) => a + d.count, 0)
  t.same(await Promise.all(['large-3', 'large-800', 'large-1599'].map(views)), [1, 1, 1], 'each new event counted once, in every piece')
  t.equal(await views('large-0'), undefined, 'an event stored before is not counted again (its profile was never made)')
  t.equal(await rowsOf('profiles', 'large-'), 1597)
})

t.test('a failing later piece leaves nothing of the commit', async (t) => {
  const events = received(800, 800)
  const count = () => rowsOf('events', '')
  const before = await count()
  // The last event's id is not a uuid: its piece (the last, ids are sorted) fails after the first was inserted.
  const bad = events.at(-1) as (typeof events)[number]
  const broken = [...events.slice(0, -1), { ...bad, event: { ...bad.event, interaction: { ...bad.event.interaction, id: 'zzzz-not-a-uuid' } } }]
  await t.rejects(insertNewEvents(db, broken))
  t.equal(await count(), before)
})
