import type { ExportSource } from '../domain/export-sources.ts'

/** Why a service's part could not be had; the message names the service, never the user. */
export class ExportPartError extends Error {
  override name = 'ExportPartError'
  constructor(service: string, reason: string) {
    super(`${service}: ${reason}`)
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null

/**
 * One service's part of a user's export: its `GET /v1/privacy/users/{userId}/data` (every service
 * with a privacy export hook has it, from the kit), asked with an admin key. Returns its `data`.
 */
export async function fetchExportPart(source: ExportSource, userId: string, o: { apiKey?: string; timeoutMs: number }): Promise<unknown> {
  let res: Response
  try {
    res = await fetch(`${source.url}/v1/privacy/users/${encodeURIComponent(userId)}/data`, {
      headers: { accept: 'application/json', ...(o.apiKey ? { authorization: `Bearer ${o.apiKey}` } : {}) },
      signal: AbortSignal.timeout(o.timeoutMs),
    })
  } catch (err) {
    const timedOut = err instanceof Error && err.name === 'TimeoutError'
    throw new ExportPartError(source.service, timedOut ? `no answer within ${o.timeoutMs} ms` : 'unreachable')
  }
  const body: unknown = await res.json().catch(() => undefined)
  if (!res.ok) throw new ExportPartError(source.service, `answered HTTP ${res.status}`)
  if (!isObject(body) || body.userId !== userId || !('data' in body)) throw new ExportPartError(source.service, 'answered something other than a user export')
  return body.data
}
