import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { join, resolve } from 'node:path'
import { ads, demoAds } from '@attune/ads'
import { generation } from '@attune/generation'
import {
  BaseConfigSchema,
  createService,
  generateApiKey,
  hashApiKey,
  type KitTables,
  loadConfig,
  MemoryBus,
  openDatabase,
  type Service,
  type ServiceDefinition,
} from '@attune/kit'
import { profiling } from '@attune/profiling'
import { recommendation } from '@attune/recommendation'
import { demoScheduling, demoWebhookReceiver, scheduling, schedulingEmbeddedConfig } from '@attune/scheduling'
import { sentiment } from '@attune/sentiment'
import pino from 'pino'
import { defaultDemo, demoInteractions, demoItems } from './demo-data.ts'
import { type EmbeddedKeys, loadOrCreateKeys } from './keys.ts'

export interface EmbeddedOptions {
  home: string
  port: number
  host: string
  logLevel: string
  demo: boolean
}

export interface Embedded {
  baseUrl: string
  keys: EmbeddedKeys
  seeded: boolean
  close(): Promise<void>
}

// Every service of the suite, in start order (producers before consumers on close).
export const definitions = [profiling, recommendation, scheduling, sentiment, generation, ads] as const

function sendJson(res: ServerResponse, status: number, body: unknown, type = 'application/json') {
  res.writeHead(status, { 'content-type': `${type}; charset=utf-8` })
  res.end(JSON.stringify(body))
}

function docsIndex(): string {
  const links = definitions.map((d) => `<li><a href="/${d.name}/docs/">${d.name}</a> — ${d.description}</li>`).join('')
  return `<!doctype html><meta charset="utf-8"><title>Attune API docs</title><h1>Attune API docs</h1><ul>${links}</ul>`
}

/**
 * One rule and one learned segment over the demo data, once the profiling consumers have caught
 * up. Segment routes need the secret scope: the admin key is only known on first start, which is
 * when demo data loads.
 */
async function demoSegments(profilingService: Service<KitTables>, adminKey: string, bus: MemoryBus): Promise<void> {
  while ((await profilingService.relay.publishBatch()) > 0) {}
  await bus.idle()
  const headers = { authorization: `Bearer ${adminKey}` }
  const rule = {
    all: [
      { trait: 'topCategories', op: 'contains', value: 'sport' },
      { event: 'view', withinDays: 7, op: 'gte', value: 5 },
    ],
  }
  for (const [url, payload] of [
    ['/v1/segments', { name: 'engaged sport readers', description: 'Sport in their top categories and 5+ views in 7 days', rule }],
    ['/v1/segments/learned', { features: ['category'], seed: 42 }],
  ] as const) {
    const r = await profilingService.app.inject({ method: 'POST', url, headers, payload })
    if (r.statusCode !== 201) throw new Error(`demo segment rejected: ${r.statusCode} ${r.body}`)
  }
}

/** The demo articles into the catalog (titles, text, categories, authors), so recommendations have content to show. */
async function demoCatalog(recommendationService: Service<KitTables>, adminKey: string, now: Date): Promise<void> {
  const r = await recommendationService.app.inject({
    method: 'POST',
    url: '/v1/items/batch',
    headers: { authorization: `Bearer ${adminKey}` },
    payload: { items: demoItems({ ...defaultDemo, now }) },
  })
  if (r.statusCode !== 200) throw new Error(`demo catalog rejected: ${r.statusCode} ${r.body}`)
}

/**
 * A news chat and a story for a demo user with the offline provider, so both show working on first
 * start: the chat cites the user's recommendations (asked over HTTP through the embedded server).
 */
async function demoGeneration(generationService: Service<KitTables>, publicKey: string): Promise<void> {
  const headers = { authorization: `Bearer ${publicKey}` }
  const post = async (url: string, payload: object) => {
    const r = await generationService.app.inject({ method: 'POST', url, headers, payload })
    if (r.statusCode >= 300) throw new Error(`demo ${url} rejected: ${r.statusCode} ${r.body}`)
    return r.json() as { conversationId?: string }
  }
  const { conversationId } = await post('/v1/conversations', { userId: 'user-0001' })
  await post(`/v1/conversations/${conversationId}/messages`, { text: 'What is new in sport today?' })
  await post('/v1/stories', {
    userId: 'user-0001',
    title: 'The Lantern Road',
    genre: 'fantasy',
    rating: 'all_ages',
    facts: ['Magic is fading from the kingdom'],
    characters: [{ name: 'Mira', description: 'a cartographer with a secret map' }],
  })
}

/**
 * All services in one process behind one base URL: `/<service>/…` is routed to that service with
 * the prefix stripped, as the Kubernetes ingress does. PGlite under `home`, the in-memory bus.
 */
export async function startEmbedded(o: EmbeddedOptions): Promise<Embedded> {
  const home = resolve(o.home)
  mkdirSync(home, { recursive: true })
  const keys = loadOrCreateKeys(home)
  // Ads asks generation (whose generate and review routes need a secret key) for ad copy; the raw
  // admin key is only known on first start, so this process mints a secret key of its own.
  const internalKey = generateApiKey('secret')
  const apiKeys = `${keys.spec},embedded-internal:secret:${hashApiKey(internalKey)}`
  const log = pino({ level: o.logLevel, base: { service: 'embedded' } })
  const database = await openDatabase(`pglite://${join(home, 'pgdata')}`)
  const bus = new MemoryBus()
  const services = new Map<string, Service<KitTables>>()
  // Scheduling's demo deliveries go to a signed-webhook receiver on this server (GET /demo/webhook lists them).
  const webhook = demoWebhookReceiver(schedulingEmbeddedConfig('', keys.spec, process.env).DELIVERY_WEBHOOK_SECRET ?? '')
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/'
    if (webhook.handle(req, res)) return
    const m = /^\/([a-z-]+)(\/[^?]*)?(\?.*)?$/.exec(url)
    const service = m?.[1] ? services.get(m[1]) : undefined
    if (service && m) {
      // Swagger UI loads its assets relative to a trailing slash; behind a prefix that must be there.
      if (m[2] === '/docs') {
        res.writeHead(302, { location: `/${m[1]}/docs/${m[3] ?? ''}` })
        return res.end()
      }
      req.url = `${m[2] ?? '/'}${m[3] ?? ''}`
      service.app.routing(req, res)
      return
    }
    if (url === '/' || url === '/docs' || url === '/docs/') {
      if (url === '/')
        return sendJson(res, 200, { name: 'attune', services: definitions.map((d) => ({ name: d.name, baseUrl: `/${d.name}`, docs: `/${d.name}/docs/` })) })
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      return res.end(docsIndex())
    }
    if (url === '/health/live') return sendJson(res, 200, { status: 'ok' })
    if (url === '/health/ready') {
      void Promise.all([...services.values()].map((s) => s.app.inject({ method: 'GET', url: '/health/ready' }))).then((rs) => {
        const ok = rs.every((r) => r.statusCode === 200)
        sendJson(res, ok ? 200 : 503, {
          status: ok ? 'ok' : 'unavailable',
          checks: Object.fromEntries([...services.keys()].map((k, i) => [k, rs[i]?.statusCode === 200 ? 'ok' : 'failing'])),
        })
      })
      return
    }
    sendJson(
      res,
      404,
      { type: 'https://attune.dev/problems/not-found', title: 'Not found', status: 404, code: 'not_found', detail: `No service at ${url.split('?')[0]}` },
      'application/problem+json',
    )
  })
  await new Promise<void>((ok) => server.listen(o.port, o.host, ok))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : o.port
  const baseUrl = `http://${o.host === '0.0.0.0' ? '127.0.0.1' : o.host}:${port}`
  // Services start once the server listens: generation needs its base URL to reach recommendation.
  for (const def of definitions) {
    const schema = def.configSchema ?? BaseConfigSchema
    // A service's own variables (e.g. INTERACTION_WEIGHTS) come from the environment; the kit's are set here.
    const own = Object.keys(schema.properties).filter((k) => !(k in BaseConfigSchema.properties) && process.env[k] !== undefined)
    const config = loadConfig(schema, {
      ...Object.fromEntries(own.map((k) => [k, process.env[k]])),
      DATABASE_URL: 'pglite://',
      ATTUNE_API_KEYS: apiKeys,
      LOG_LEVEL: o.logLevel,
      OUTBOX_POLL_MS: '100',
      // The chatbot asks the recommendation service over HTTP, through this server as any client would.
      ...(def.name === 'generation' ? { RECOMMENDATION_URL: `${baseUrl}/recommendation`, RECOMMENDATION_API_KEY: keys.publicKey } : {}),
      ...(def.name === 'scheduling' ? schedulingEmbeddedConfig(baseUrl, keys.spec, process.env) : {}),
      // Tracking links point at this server's /ads prefix.
      // Personalized ad copy asks generation over HTTP through this server too.
      ...(def.name === 'ads' ? { ADS_PUBLIC_URL: `${baseUrl}/ads`, GENERATION_URL: `${baseUrl}/generation`, GENERATION_API_KEY: internalKey } : {}),
      // A user's export in one document: profiling asks every other service, through this server.
      ...(def.name === 'profiling'
        ? {
            PRIVACY_EXPORT_SOURCES: definitions
              .filter((d) => d.name !== 'profiling' && d.privacy?.export)
              .map((d) => `${d.name}=${baseUrl}/${d.name}`)
              .join(','),
            PRIVACY_EXPORT_API_KEY: internalKey,
          }
        : {}),
    })
    // Each definition is typed by its own tables; here only the kit's part matters.
    const service = await createService(def as unknown as ServiceDefinition<KitTables>, { config, database, bus, logger: log.child({ service: def.name }) })
    await service.migrate()
    await service.start()
    services.set(def.name, service)
  }

  const marker = join(home, 'demo-loaded')
  let seeded = false
  if (o.demo && !existsSync(marker)) {
    const now = new Date()
    const recommendationService = services.get('recommendation')
    if (recommendationService && keys.adminKey) await demoCatalog(recommendationService, keys.adminKey, now)
    const events = demoInteractions({ ...defaultDemo, now })
    const app = services.get('profiling')?.app
    for (let i = 0; app && i < events.length; i += 500) {
      const r = await app.inject({
        method: 'POST',
        url: '/v1/events',
        headers: { authorization: `Bearer ${keys.publicKey}` },
        payload: { events: events.slice(i, i + 500) },
      })
      if (r.statusCode !== 202) throw new Error(`demo data rejected: ${r.statusCode} ${r.body}`)
    }
    const profilingService = services.get('profiling')
    if (profilingService && keys.adminKey) await demoSegments(profilingService, keys.adminKey, bus)
    if (recommendationService && keys.adminKey) {
      // The model trains at start too, but before the demo interactions had arrived.
      await bus.idle()
      const r = await recommendationService.app.inject({ method: 'POST', url: '/v1/models/train', headers: { authorization: `Bearer ${keys.adminKey}` } })
      if (r.statusCode !== 200) throw new Error(`demo model training failed: ${r.statusCode} ${r.body}`)
    }
    const schedulingService = services.get('scheduling')
    if (schedulingService && keys.adminKey) await demoScheduling(schedulingService, keys.adminKey, log)
    const generationService = services.get('generation')
    if (generationService) await demoGeneration(generationService, keys.publicKey)
    const adsService = services.get('ads')
    if (adsService && keys.adminKey) await demoAds(adsService, keys.adminKey)
    writeFileSync(marker, new Date().toISOString())
    seeded = true
  }

  return {
    baseUrl,
    keys,
    seeded,
    async close() {
      await new Promise<void>((ok) => server.close(() => ok()))
      // Producers first: each drains its outbox into the bus, the bus is emptied, then consumers stop.
      for (const def of definitions) {
        await services.get(def.name)?.relay.drain(5000)
        await bus.idle()
      }
      for (const def of definitions) await services.get(def.name)?.close()
      await bus.close()
      await database.close()
    },
  }
}
