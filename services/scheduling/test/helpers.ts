// Shared by the scheduling tests: profile and interaction events as profiling publishes them, and a
// local webhook receiver that checks signatures and records what it got.
import { randomUUID } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AnyEvent } from '@attune/contracts'
import { makeEvent } from '@attune/kit'
import { SIGNATURE_HEADER, verifyWebhook } from '../src/domain/webhook-signature.ts'

export const WEBHOOK_SECRET = 'test-webhook-secret-0123456789'

export const baseSettings = {
  followedTopics: [],
  mutedTopics: [],
  mutedAuthors: [],
  mutedItems: [],
  channels: { email: true, push: true, sms: false, in_app: true, webhook: true },
  quietHours: null as null | { start: string; end: string; timeZone: string },
  frequencyCaps: {} as Record<string, { max: number; per: 'day' | 'week' }>,
  languages: [],
  style: { formality: 'neutral', length: 'short', emoji: 'none', readingLevel: 'standard' },
  nonPersonalized: false,
}

export function preferencesEvent(userId: string, at: Date, over: Partial<typeof baseSettings> = {}): AnyEvent {
  return makeEvent(
    { type: 'preferences.updated', source: 'profiling', subject: userId, data: { userId, ...baseSettings, ...over, updatedAt: at.toISOString() } },
    at,
  )
}

export function interactionEvent(userId: string, at: Date, type = 'click', channel?: string): AnyEvent {
  const target = type === 'notification_open' ? { notificationId: 'n-1' } : { itemId: 'item-1' }
  const interaction = { id: randomUUID(), type, userId, ...target, time: at.toISOString(), ...(channel ? { context: { channel } } : {}) }
  return makeEvent({ type: 'interaction.recorded', source: 'profiling', subject: userId, data: { interaction, receivedAt: at.toISOString() } }, at)
}

export function segmentEvent(userId: string, segmentId: string, at: Date, change: 'joined' | 'left' = 'joined'): AnyEvent {
  return makeEvent({ type: 'segment.membership-changed', source: 'profiling', subject: userId, data: { segmentId, userId, change } }, at)
}

const unknown = { state: 'unknown', at: null, expiresAt: null, source: null }
export function consentEvent(userId: string, at: Date, states: Record<string, string>): AnyEvent {
  const purposes = Object.fromEntries(
    ['personalization', 'ad_personalization', 'analytics', 'email', 'push'].map((p) => [
      p,
      states[p] ? { state: states[p], at: at.toISOString(), expiresAt: null, source: 'test' } : unknown,
    ]),
  )
  const changes = Object.entries(states).map(([purpose, status]) => ({
    purpose,
    status,
    at: at.toISOString(),
    expiresAt: null,
    source: 'test',
    recordedAt: at.toISOString(),
  }))
  return makeEvent({ type: 'consent.changed', source: 'profiling', subject: userId, data: { userId, purposes, asOf: at.toISOString(), changes } }, at)
}

/** One webhook call as received. */
export interface Received {
  deliveryId: string
  idempotencyKey: string
  signed: boolean
  at: Date
  path: string
  body: { deliveryId: string; userId: string; scheduledFor: string; content: Record<string, unknown> }
}

/**
 * A webhook receiver on a free port. `respond(path, n)` picks the status for the n-th call (1-based)
 * of a delivery; `delayMs` holds each answer (to catch a dispatcher mid-batch).
 */
export async function startReceiver(o: { respond?: (path: string, attempt: number) => number; delayMs?: number } = {}) {
  const received: Received[] = []
  const attempts = new Map<string, number>()
  const server: Server = createServer((req, res) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (d: string) => {
      body += d
    })
    req.on('end', () => {
      const parsed = JSON.parse(body) as Received['body']
      const key = String(req.headers['idempotency-key'])
      const n = (attempts.get(key) ?? 0) + 1
      attempts.set(key, n)
      received.push({
        deliveryId: parsed.deliveryId,
        idempotencyKey: key,
        signed: verifyWebhook(WEBHOOK_SECRET, body, String(req.headers[SIGNATURE_HEADER]), Math.floor(Date.now() / 1000)),
        at: new Date(),
        path: req.url ?? '/',
        body: parsed,
      })
      const status = o.respond?.(req.url ?? '/', n) ?? 200
      const answer = () => {
        res.writeHead(status, { 'content-type': 'application/json' })
        res.end(status < 300 ? '{"ok":true}' : '{"error":"receiver says no"}')
      }
      if (o.delayMs) setTimeout(answer, o.delayMs)
      else answer()
    })
  })
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections()
        server.close(() => ok())
      }),
  }
}
