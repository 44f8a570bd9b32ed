// Bad input is a 4xx, never a 5xx, on every documented route: the suite in embedded mode (with
// its demo data, so ids exist) probed from the OpenAPI documents the code generates, one
// parameter or body field at a time replaced by edge values of its type (see support/).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startNodeProcess } from '@attune/kit/testing'
import t from 'tap'
import { generateSpecs } from '../../../scripts/openapi-specs.ts'
import { type Json, type OpenApiDocument, probeService } from './support/bad-input-probe.ts'

// About 6,000 requests: ~50 s alone, 108 s in CI next to other test files; the suite's 180 s a
// file (.taprc) left too little room.
t.setTimeout(360_000)
const home = mkdtempSync(join(tmpdir(), 'attune-probe-'))
const server = await startNodeProcess(
  join(import.meta.dirname, '..', 'src', 'main.ts'),
  // Generation's own per-key limit (120 a minute) would answer most of its probes with a 429.
  { ATTUNE_HOME: home, PORT: '0', LOG_LEVEL: 'error', GENERATION_RATE_LIMIT_PER_MINUTE: '1000000' },
  /running at (http:\/\/[\d.]+:\d+)[\s\S]*try:/,
)
t.teardown(async () => {
  await server.stop()
  rmSync(home, { recursive: true, force: true })
})
const baseUrl = server.match[1] ?? ''
const adminKey = /(atn_sk_[A-Za-z0-9_-]+)/.exec(server.output())?.[1] ?? ''
const specs = await generateSpecs()

// Profiling first: the segments and users it answers with are what the other services refer to.
// A demo user, so that the routes about a user find one with a history.
const ids = new Map<string, string>([['userId', 'user-0001']])
// The documented campaign goes to a segment; the demo's have no members yet, and without a
// campaign the routes under it would only ever answer 404.
// Likewise the documented decision asks for a placement the probe has just made, which no running
// campaign fills yet: the demo's placements are asked for instead, so that `why` and the tracking
// links are probed with a real decision.
const placements = (await (await fetch(`${baseUrl}/ads/v1/placements`, { headers: { authorization: `Bearer ${adminKey}` } })).json()) as {
  placements: { placementId: string }[]
}
const overrides: Record<string, Record<string, Record<string, Json>>> = {
  scheduling: { 'POST /v1/campaigns': { audience: { userIds: ['user-0001', 'user-0002'] } } },
  ads: { 'POST /v1/decisions': { placements: placements.placements.map(({ placementId }) => ({ placementId })) } },
}
t.match(adminKey, /^atn_sk_/, 'the admin key is printed')
for (const [name, json] of specs) {
  t.test(`${name}: no route answers bad input with a 5xx`, async (t) => {
    const { requests, statuses, failures, unreached } = await probeService(
      JSON.parse(json) as OpenApiDocument,
      `${baseUrl}/${name}`,
      adminKey,
      ids,
      overrides[name],
    )
    const count = (s: number) => statuses.get(s) ?? 0
    t.ok(requests > 100, `${requests} requests: ${JSON.stringify(Object.fromEntries(statuses))}`)
    t.equal(count(401) + count(403), 0, 'the admin key may call every route, so each answer is about the input')
    // Otherwise an operation's edge values would only ever meet its lookups (an unknown id).
    t.same(unreached, [], 'every operation succeeds at least once')
    // The server's last lines only when something failed (its banner prints the keys).
    t.same(failures, [], failures.length > 0 ? `${failures.slice(0, 20).join('\n')}\n${server.output().slice(-2000)}` : 'no 5xx')
  })
}
