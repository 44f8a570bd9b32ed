// GET /v1/generations/{id} across replicas, on real Postgres: an output another replica returned a
// moment ago (still in its memory, written within its flush interval) is found by waiting for that
// flush; an id too old to be unwritten anywhere, or not a time-ordered one, is a 404 without the
// wait (the database is asked once).
import { randomUUID } from 'node:crypto'
import { asAdmin, recordingStatements } from '@attune/kit/testing'
import t from 'tap'
import type { FlowDeps } from '../../src/flows/deps.ts'
import { findGeneration } from '../../src/flows/find-generation.ts'
import { memoryFor } from '../../src/memory/generation-memory.ts'
import { startHarness } from '../support/harness.ts'

const h = await startHarness({})
t.teardown(() => h.close())
const flushMs = memoryFor(h.context).outputs.flushMs

/** Another replica: the same database, nothing of this one's memory; `kinds` lists the statements it sends. */
function otherReplica() {
  const { db, kinds } = recordingStatements(h.db)
  const deps = { ctx: { ...h.context, db }, memory: { outputs: { unwritten: () => undefined, flushMs } } } as unknown as Pick<FlowDeps, 'ctx' | 'memory'>
  return { find: (id: string) => findGeneration(deps, id), kinds }
}

t.test('an output returned a moment ago elsewhere is found once that replica has written it', async (t) => {
  const r = await h.app.inject({ method: 'POST', url: '/v1/generate', headers: asAdmin, payload: { use: 'post', brief: { topic: 'a moment ago' } } })
  t.equal(r.statusCode, 200, r.body)
  const id = r.json().generationId as string
  t.equal(await h.db.selectFrom('generations').select('generationId').where('generationId', '=', id).executeTakeFirst(), undefined, 'not written yet')
  const other = otherReplica()
  const found = await other.find(id)
  t.equal(found.generationId, id)
  t.equal(other.kinds.length, 3, 'looked for again after the flush')
})

t.test('an id too old to be unwritten, or not time-ordered, is a 404 at once', async (t) => {
  const lastYear = '018c2b4a-7b00-7000-8000-000000000000'
  for (const id of [lastYear, randomUUID()]) {
    const other = otherReplica()
    t.match(await other.find(id).catch((e: unknown) => e), { status: 404, code: 'not_found' })
    t.equal(other.kinds.length, 2, `${id}: the generation and its review, once`)
  }
})
