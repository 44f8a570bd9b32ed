import { Agent as HttpAgent, request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'
import { pipeline, Readable } from 'node:stream'
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib'
import { BufferedResponse } from './buffered-response.ts'
import { requestTarget } from './request-target.ts'

export type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>

/** Statuses whose response has no body to read. */
const NULL_BODY = new Set([101, 103, 204, 205, 304])

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError')
}

function decoded(res: IncomingMessage): Readable {
  const encoding = String(res.headers['content-encoding'] ?? '').toLowerCase()
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? createGunzip()
      : encoding === 'deflate'
        ? createInflate()
        : encoding === 'br'
          ? createBrotliDecompress()
          : undefined
  // pipeline: a connection cut mid-body fails the decoder too.
  return decoder ? pipeline(res, decoder, () => {}) : res
}

function responseHeaders(res: IncomingMessage): Headers {
  const h = new Headers()
  const raw = res.rawHeaders
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = (raw[i] as string).toLowerCase()
    // The body handed over is decoded already.
    if (name !== 'content-encoding' && name !== 'content-length') h.append(name, raw[i + 1] as string)
  }
  return h
}

/**
 * The `fetch` the `openai` SDK is given: node:http(s) over one keep-alive agent per client, the
 * answer read whole before it is handed over (a server-sent event stream stays a stream). Node's
 * global fetch (undici) keeps each request's objects reachable from a FinalizationRegistry until a
 * full GC, so every completion used to survive the young-generation collections (and make them
 * long); here nothing outlives the request. Anything but a string or byte body (the SDK's uploads)
 * goes to the global fetch.
 */
export function keepAliveFetch(): Fetch {
  const agents = { 'http:': new HttpAgent({ keepAlive: true, scheduling: 'lifo' }), 'https:': new HttpsAgent({ keepAlive: true, scheduling: 'lifo' }) }
  return (input, init = {}) => {
    const body = init.body
    const target = requestTarget(input)
    if (!target || (body != null && typeof body !== 'string' && !(body instanceof Uint8Array))) {
      return fetch(input, init)
    }
    const signal = init.signal ?? undefined
    if (signal?.aborted) return Promise.reject(abortError(signal))
    const headers: OutgoingHttpHeaders = {}
    ;(init.headers instanceof Headers ? init.headers : new Headers(init.headers)).forEach((value, name) => {
      headers[name] = value
    })
    if (body != null) headers['content-length'] = String(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength)
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest
    // A streamed completion stays a stream whatever content type the server gives it.
    const streamed = typeof body === 'string' ? /"stream"\s*:\s*true/.test(body) : false
    return new Promise<Response>((resolve, reject) => {
      const req = send({ ...target.options, method: init.method ?? 'GET', headers, agent: agents[target.protocol] })
      const onAbort = () => req.destroy(signal ? (abortError(signal) as Error) : undefined)
      const done = () => signal?.removeEventListener('abort', onAbort)
      signal?.addEventListener('abort', onAbort, { once: true })
      req.on('error', (err) => {
        done()
        reject(err)
      })
      req.once('response', (res) => {
        const status = res.statusCode ?? 0
        const meta = { status, statusText: res.statusMessage ?? '', headers: responseHeaders(res), url: target.href }
        if (NULL_BODY.has(status)) {
          res.resume()
          res.once('end', done)
          return resolve(new BufferedResponse(null, meta))
        }
        if (status >= 300 && status < 400 && res.headers.location) {
          // Redirects are rare for an API base URL: the global fetch follows them (the body is a string or bytes, so it can be sent again).
          res.resume()
          done()
          return resolve(fetch(input, init))
        }
        const stream = decoded(res)
        if (streamed || String(res.headers['content-type'] ?? '').startsWith('text/event-stream')) {
          res.once('close', done)
          return resolve(new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, { status, statusText: meta.statusText, headers: meta.headers }))
        }
        const chunks: Buffer[] = []
        stream.on('data', (c: Buffer) => chunks.push(c))
        stream.on('error', (err) => {
          done()
          // A timeout while the body was arriving is still a timeout.
          reject(signal?.aborted ? abortError(signal) : err)
        })
        stream.once('end', () => {
          done()
          resolve(new BufferedResponse(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks), meta))
        })
      })
      req.end(body ?? undefined)
    })
  }
}
