// Returned outputs written behind the response, on real Postgres: a batch whose JSON exceeds one
// parameter's bound (MAX_PARAMETER_CHARS) is written in pieces, everything once, the spend once,
// and all or nothing.
import { randomUUID } from 'node:crypto'
import { MAX_PARAMETER_CHARS } from '@attune/kit'
import t from 'tap'
import { v7 as uuidv7 } from 'uuid'
import type { CacheEntry } from '../../src/gateway/llm-gateway.ts'
import { generationJson } from '../../src/memory/output-log.ts'
import { recordReturned, type SpendRow } from '../../src/store/record-returned.ts'
import { startHarness } from '../support/harness.ts'

const h = await startHarness({})
t.teardown(() => h.close())

const text = 'A calm lake at dawn, mist over the water. '.repeat(20)
const day = '2026-12-06'

function generation(apiKeyName: string, generationId = uuidv7()) {
  return generationJson({
    generationId,
    apiKeyName,
    userId: 'writer-1',
    use: 'caption',
    voiceId: null,
    voiceVersion: null,
    templateId: 'caption',
    templateVersion: 1,
    provider: 'offline',
    model: 'templates',
    cached: false,
    promptTokens: 10,
    completionTokens: 20,
    variants: [{ index: 0, text, moderationScore: 0, flagged: false, categories: [], bannedRedacted: [], regenerated: false }],
    why: { template: 'caption' },
    createdAt: new Date(),
  })
}

const cacheEntry = (): CacheEntry => ({
  cacheKey: randomUUID(),
  userId: null,
  completion: { texts: [text], usage: { promptTokens: 10, completionTokens: 20 }, model: 'templates', provider: 'offline' },
  expiresAt: new Date(Date.now() + 60_000),
})

const spendOf = (apiKeyName: string, n: number): SpendRow[] =>
  Array.from({ length: n }, () => ({ apiKeyName, day, requests: 1, usage: { promptTokens: 10, completionTokens: 20 } }))

const written = async (apiKeyName: string) =>
  (await h.db.selectFrom('generations').select('generationId').where('apiKeyName', '=', apiKeyName).execute()).length
const spent = async (apiKeyName: string) =>
  (
    await h.db
      .selectFrom('tokenUsage')
      .select((eb) => eb.fn.sum<string>('requests').as('requests'))
      .where('apiKeyName', '=', apiKeyName)
      .executeTakeFirst()
  )?.requests

t.test('a batch larger than one parameter is written whole, in pieces', async (t) => {
  const generations = Array.from({ length: 200 }, () => generation('big-batch'))
  t.ok(generations.join(',').length > 2 * MAX_PARAMETER_CHARS, 'more than two parameters’ worth')
  const cache = Array.from({ length: 150 }, cacheEntry)
  await recordReturned(h.db, { generations, cache, spend: spendOf('big-batch', 200) })
  t.equal(await written('big-batch'), 200)
  t.equal(Number(await spent('big-batch')), 200, 'the spend counted once')
  const cached = await h.db
    .selectFrom('promptCache')
    .select('cacheKey')
    .where(
      'cacheKey',
      'in',
      cache.map((c) => c.cacheKey),
    )
    .execute()
  t.equal(cached.length, 150)
})

t.test('a piece that fails leaves nothing of the batch written', async (t) => {
  const generations = Array.from({ length: 200 }, () => generation('failing-batch'))
  // The last piece's last output has an id Postgres refuses.
  generations[199] = generation('failing-batch', 'not-a-uuid')
  await t.rejects(recordReturned(h.db, { generations, cache: [], spend: spendOf('failing-batch', 200) }))
  t.equal(await written('failing-batch'), 0)
  t.equal(await spent('failing-batch'), null, 'nor its spend')
})
