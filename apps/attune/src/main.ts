import { startEmbedded } from './embedded.ts'

const env = process.env
const port = Number(env.PORT ?? 4000)
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`invalid configuration: PORT must be an integer 0-65535 (got ${JSON.stringify(env.PORT)})\n`)
  process.exit(1)
}

const attune = await startEmbedded({
  home: env.ATTUNE_HOME ?? '.attune',
  port,
  host: env.HOST ?? '127.0.0.1',
  logLevel: env.LOG_LEVEL ?? 'warn',
  demo: env.ATTUNE_DEMO !== 'false',
})

const lines = [
  `Attune (embedded) is running at ${attune.baseUrl}`,
  `  API docs:        ${attune.baseUrl}/docs`,
  `  public key:      ${attune.keys.publicKey}   (browser-safe: send events, read recommendations)`,
  attune.keys.adminKey
    ? `  admin key:       ${attune.keys.adminKey}   (shown once; only its hash is stored in ${env.ATTUNE_HOME ?? '.attune'}/keys.json)`
    : '  admin key:       printed at first start (delete keys.json under ATTUNE_HOME to mint new keys)',
  attune.seeded ? '  demo data:       loaded (300 users, 400 articles, 6000 interactions)' : '  demo data:       already loaded',
  `  try:            curl -H "Authorization: Bearer ${attune.keys.publicKey}" ${attune.baseUrl}/recommendation/v1/trending`,
]
process.stdout.write(`${lines.join('\n')}\n`)

let closing = false
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (closing) process.exit(1)
    closing = true
    attune.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`shutdown failed: ${String(err)}\n`)
        process.exit(1)
      },
    )
  })
}
