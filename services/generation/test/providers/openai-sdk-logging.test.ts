// patches/openai@7.57.0.patch: the SDK formats its "response" log lines only when they are logged.
// Unpatched, every call built the info line (a walk of the response headers, the URL redacted) and
// the debug details (the headers copied, the URL parsed twice) for loggers that drop them.

import OpenAI from 'openai'
import t from 'tap'
import { keepAliveFetch } from '../../src/providers/keep-alive-fetch.ts'
import { startFakeOpenAi } from '../support/fake-openai.ts'

const fake = await startFakeOpenAi()
t.teardown(() => fake.close())

type Level = 'off' | 'error' | 'warn' | 'info' | 'debug'

/** One completion at `level`: the lines logged, and how often the response headers were walked. */
async function call(level: Level) {
  const lines: { level: string; message: string }[] = []
  const logger = Object.fromEntries(
    (['error', 'warn', 'info', 'debug'] as const).map((l) => [l, (message: string) => void lines.push({ level: l, message })]),
  ) as unknown as NonNullable<ConstructorParameters<typeof OpenAI>[0]>['logger']
  let headerWalks = 0
  const base = keepAliveFetch()
  const counting: typeof fetch = async (input, init) => {
    const res = await base(input, init)
    const h = res.headers
    for (const method of ['entries', Symbol.iterator] as const) {
      const walk = h[method].bind(h)
      Object.defineProperty(h, method, {
        value: () => {
          headerWalks++
          return walk()
        },
      })
    }
    return res
  }
  const client = new OpenAI({ apiKey: 'sk-test', baseURL: fake.url, maxRetries: 0, logger, logLevel: level, fetch: counting })
  await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] })
  return { lines, headerWalks }
}

t.test('below info nothing about the response is formatted', async (t) => {
  for (const level of ['off', 'error', 'warn'] as const) {
    const { lines, headerWalks } = await call(level)
    t.same(lines, [], level)
    t.equal(headerWalks, 0, `${level}: the response headers are not walked`)
  }
})

t.test('info logs the response line as before', async (t) => {
  const { lines } = await call('info')
  t.equal(lines.length, 1)
  t.match(lines[0], { level: 'info', message: /\] post http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions succeeded with status 200 in \d+ms$/ })
})

t.test('debug logs the request, the response line, the response details and the parse', async (t) => {
  const { lines } = await call('debug')
  t.match(
    lines.map((l) => `${l.level} ${l.message}`),
    [
      /^debug \[log_\w+\] sending request$/,
      /^info \[log_\w+\] post .* succeeded with status 200/,
      /^debug \[log_\w+\] response start$/,
      /^debug \[log_\w+\] response parsed$/,
    ],
  )
})
