// The embedded mode's scheduling demo: a local webhook receiver (mounted at /demo/webhook on the
// embedded server, signature checked) and, on first start, best times for a demo user, a campaign
// sent now and a best-time campaign planned over the next 24 hours.
import { createHash } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { KitTables, Service } from '@attune/kit'
import type { Logger } from 'pino'
import { SIGNATURE_HEADER, verifyWebhook } from '../domain/webhook-signature.ts'

export const DEMO_WEBHOOK_PATH = '/demo/webhook'

/** Scheduling's variables in embedded mode: the demo receiver, and a signing key stable per home. */
export function schedulingEmbeddedConfig(baseUrl: string, keySpec: string, env: Record<string, string | undefined>): Record<string, string> {
  return {
    DELIVERY_WEBHOOK_URL: env.DELIVERY_WEBHOOK_URL ?? `${baseUrl}${DEMO_WEBHOOK_PATH}`,
    DELIVERY_WEBHOOK_SECRET: env.DELIVERY_WEBHOOK_SECRET ?? createHash('sha256').update(`attune-demo-webhook:${keySpec}`).digest('hex'),
  }
}

/** Records signed deliveries POSTed to /demo/webhook (the last 100) and lists them on GET. */
export function demoWebhookReceiver(secret: string) {
  const received: { deliveryId: string; userId: string; channel: string; signatureValid: boolean; receivedAt: string; content: unknown }[] = []
  return {
    /** Handles the request when it is for the receiver; returns false otherwise. */
    handle(req: IncomingMessage, res: ServerResponse): boolean {
      if ((req.url ?? '').split('?')[0] !== DEMO_WEBHOOK_PATH) return false
      if (req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' })
        res.end(JSON.stringify({ received: received.length, deliveries: received.slice(-100) }))
        return true
      }
      let body = ''
      req.setEncoding('utf8')
      req.on('data', (d: string) => {
        if (body.length < 100_000) body += d
      })
      req.on('end', () => {
        try {
          const d = JSON.parse(body) as { deliveryId: string; userId: string; channel: string; content: unknown }
          const signatureValid = verifyWebhook(secret, body, String(req.headers[SIGNATURE_HEADER] ?? ''), Math.floor(Date.now() / 1000))
          received.push({
            deliveryId: d.deliveryId,
            userId: d.userId,
            channel: d.channel,
            signatureValid,
            receivedAt: new Date().toISOString(),
            content: d.content,
          })
          if (received.length > 100) received.shift()
          res.writeHead(signatureValid ? 200 : 401)
        } catch {
          res.writeHead(400)
        }
        res.end()
      })
      return true
    },
  }
}

/** First-start demo: best times for user-0001, a campaign sent now to ten demo users, a best-time campaign to twenty. */
export async function demoScheduling(service: Service<KitTables>, adminKey: string, log: Logger): Promise<void> {
  const headers = { authorization: `Bearer ${adminKey}` }
  const best = await service.app.inject({ url: '/v1/users/user-0001/best-times?count=3', headers })
  if (best.statusCode !== 200) throw new Error(`demo best times failed: ${best.statusCode} ${best.body}`)
  const users = Array.from({ length: 20 }, (_, i) => `user-${String(i + 1).padStart(4, '0')}`)
  const now = new Date()
  const campaigns = [
    {
      name: 'Breaking: demo alert',
      channel: 'in_app',
      content: { text: 'A story you follow has an update' },
      audience: { userIds: users.slice(0, 10) },
      strategy: 'fixed',
      sendAt: now.toISOString(),
    },
    {
      name: 'Evening digest',
      channel: 'in_app',
      content: { title: 'Your digest', text: 'Five stories picked for you' },
      audience: { userIds: users },
      strategy: 'best_time',
      window: { end: new Date(now.getTime() + 86_400_000).toISOString() },
      holdoutShare: 0.2,
    },
  ]
  for (const payload of campaigns) {
    const r = await service.app.inject({ method: 'POST', url: '/v1/campaigns', headers, payload })
    if (r.statusCode !== 201) throw new Error(`demo campaign rejected: ${r.statusCode} ${r.body}`)
  }
  const times = (best.json() as { times: { dayOfWeek: string; localTime: string }[]; reason: string }).times
  log.info({ user: 'user-0001', bestTimes: times.map((t) => `${t.dayOfWeek} ${t.localTime}`), reason: best.json().reason }, 'demo: best times')
}
