import { Writable } from 'node:stream'
import pino from 'pino'
import t from 'tap'
import { loggerOptions } from '../src/logger.ts'

t.test('secrets never reach a log line: keys, signing secrets, credentials in headers and config', async (t) => {
  const lines: string[] = []
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk))
      done()
    },
  })
  const log = pino(loggerOptions('probe', 'info'), sink)
  const secrets = {
    ATTUNE_API_KEYS: 'site:public:abc',
    OPENAI_API_KEY: 'sk-openai-secret',
    GENERATION_API_KEY: 'atn_sk_generation',
    RECOMMENDATION_API_KEY: 'atn_sk_recommendation',
    ADS_SIGNING_SECRET: 'ads-signing-secret',
    DELIVERY_WEBHOOK_SECRET: 'webhook-secret',
    DATABASE_URL: 'postgres://user:pw@db/attune',
  }
  log.info({ config: secrets, req: { headers: { authorization: 'Bearer atn_sk_x', 'x-api-key': 'atn_pk_y' } } }, 'starting')
  const line = lines.join('')
  for (const value of [...Object.values(secrets), 'Bearer atn_sk_x', 'atn_pk_y']) t.notOk(line.includes(value), `${value} is not logged`)
  t.match(line, /\[redacted\]/)
})
