// Bad input is a 4xx, never a 5xx, on every documented route: the suite in embedded mode (with
// its demo data, so ids exist) probed from the OpenAPI documents the code generates, one
// parameter or body field at a time replaced by edge values of its type (see support/).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startNodeProcess } from '@attune/kit/testing'
import t from 'tap'
import { generateSpecs } from '../../../scripts/openapi-specs.ts'
import { type OpenApiDocument, probeService } from './support/bad-input-probe.ts'

const home = mkdtempSync(join(tmpdir(), 'attune-probe-'))
const server = await startNodeProcess(
  join(import.meta.dirname, '..', 'src', 'main.ts'),
  { ATTUNE_HOME: home, PORT: '0', LOG_LEVEL: 'fatal' },
  /running at (http:\/\/[\d.]+:\d+)[\s\S]*try:/,
)
t.teardown(async () => {
  await server.stop()
  rmSync(home, { recursive: true, force: true })
})
const baseUrl = server.match[1] ?? ''
const adminKey = /(atn_sk_[A-Za-z0-9_-]+)/.exec(server.output())?.[1] ?? ''

// Profiling first: the segments and users it answers with are what the other services refer to.
const ids = new Map<string, string>()
for (const [name, json] of await generateSpecs()) {
  t.test(`${name}: no route answers bad input with a 5xx`, async (t) => {
    const { requests, failures } = await probeService(JSON.parse(json) as OpenApiDocument, `${baseUrl}/${name}`, adminKey, ids)
    t.ok(requests > 100, `${requests} requests`)
    t.same(failures, [], failures.slice(0, 20).join('\n'))
  })
}
