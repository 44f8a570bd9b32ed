// patches/openai@7.57.0.patch: nothing of a finished SDK call outlives it. Unpatched, the SDK
// assigned `withResponse` and `_thenUnwrap` to every promise it returned, and V8's young-generation
// collections then kept each call's promises, request, response and parsed body alive until they
// were promoted: about 2.5 KB a call, and the gateway's collections copied a megabyte each time
// (2-4 ms pauses on whichever request was in flight). The patch makes them methods of a subclass.
// Measured by test/support/sdk-retention-probe.ts as bytes promoted to the old generation by the
// scavenges during runs of calls.

import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import OpenAI from 'openai'
import t from 'tap'
import { keepAliveFetch } from '../../src/providers/keep-alive-fetch.ts'
import { startFakeOpenAi } from '../support/fake-openai.ts'

const fake = await startFakeOpenAi({ record: false })
t.teardown(() => fake.close())
const client = new OpenAI({ apiKey: 'sk-test', baseURL: fake.url, maxRetries: 0, fetch: keepAliveFetch() })
const complete = () => client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] })

t.test('a finished call leaves nothing for the young-generation collections to promote', async (t) => {
  // In a child process with the young generation's size fixed: under tap's coverage (which tap also
  // injects into child processes) it grows to 64-128 MB, and then about one run in two promoted whole
  // pages (400 bytes to 10 KB a call, patched or not). What is measured, whether a call's garbage
  // outlives scavenges, does not depend on the size.
  const probe = join(import.meta.dirname, '..', 'support', 'sdk-retention-probe.ts')
  const out = execFileSync(process.execPath, ['--expose-gc', '--max-semi-space-size=8', probe, '3000', '500'], { encoding: 'utf8' })
  const m = JSON.parse(out.trim().split('\n').at(-1) ?? 'null') as { perCall: number; scavenges: number; windows: number } | null
  if (!m) return t.fail('no window of 3,000 calls without an old-generation collection in eight tries')
  t.ok(m.scavenges >= 2, `enough allocation for young-generation collections (${m.scavenges})`)
  // Unpatched: 2,000-2,500 bytes a call; patched: tens (the fake provider runs in that process too).
  t.ok(m.perCall < 500, `${m.perCall.toFixed(0)} bytes promoted a call (the least of ${m.windows} windows)`)
})

t.test('withResponse and the parsed result still work', async (t) => {
  const { data, response, request_id } = await complete().withResponse()
  t.match(data, { object: 'chat.completion', choices: [{ message: { role: 'assistant' } }] })
  t.equal(response.status, 200)
  t.equal(request_id, response.headers.get('x-request-id'))
  const raw = await complete().asResponse()
  t.equal(raw.status, 200)
})
