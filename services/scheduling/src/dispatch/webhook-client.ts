import http from 'node:http'
import https from 'node:https'
import { SIGNATURE_HEADER, signWebhook } from '../domain/webhook-signature.ts'

export interface WebhookResult {
  ok: boolean
  /** Why it failed: the HTTP status and a bit of the body, or the network error. */
  error?: string
}

export interface WebhookClientOptions {
  secret: string
  timeoutMs: number
  /** Sockets kept open per host (the dispatcher's concurrency). */
  maxSockets: number
  clock: () => Date
}

/**
 * POSTs signed JSON over keep-alive connections. A 2xx is success; anything else (status, timeout,
 * refused connection) is a failure the dispatcher retries. Headers: `idempotency-key` (the
 * delivery id: the same on every retry), `x-attune-delivery-id`, and the HMAC signature.
 */
export function webhookClient(o: WebhookClientOptions) {
  const agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: o.maxSockets }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: o.maxSockets }),
  }
  return {
    post(url: string, idempotencyKey: string, body: string): Promise<WebhookResult> {
      const target = new URL(url)
      const transport = target.protocol === 'https:' ? https : http
      const agent = target.protocol === 'https:' ? agents['https:'] : agents['http:']
      const signature = signWebhook(o.secret, body, Math.floor(o.clock().getTime() / 1000))
      return new Promise((resolve) => {
        const req = transport.request(
          target,
          {
            method: 'POST',
            agent,
            timeout: o.timeoutMs,
            headers: {
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(body),
              'idempotency-key': idempotencyKey,
              'x-attune-delivery-id': idempotencyKey,
              [SIGNATURE_HEADER]: signature,
            },
          },
          (res) => {
            let text = ''
            res.setEncoding('utf8')
            res.on('data', (d: string) => {
              if (text.length < 300) text += d
            })
            res.on('end', () => {
              const status = res.statusCode ?? 0
              resolve(status >= 200 && status < 300 ? { ok: true } : { ok: false, error: `HTTP ${status}: ${text.slice(0, 300)}` })
            })
            res.on('error', (err) => resolve({ ok: false, error: err.message }))
          },
        )
        req.on('timeout', () => req.destroy(new Error(`timed out after ${o.timeoutMs} ms`)))
        req.on('error', (err) => resolve({ ok: false, error: err.message || String(err) }))
        req.end(body)
      })
    },
    close() {
      agents['http:'].destroy()
      agents['https:'].destroy()
    },
  }
}

export type WebhookClient = ReturnType<typeof webhookClient>
