// The fetch the openai SDK is given: keep-alive connections, bodies read whole (decoded), event
// streams left as streams, aborts as AbortError, a body readable once.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { gzipSync } from 'node:zlib'
import t from 'tap'
import { keepAliveFetch } from '../../src/providers/keep-alive-fetch.ts'

const sockets = new Set<string>()
let plainStreamEnded = false
const server = createServer((req, res) => {
  sockets.add(`${req.socket.remotePort}`)
  let body = ''
  req.on('data', (d: Buffer) => {
    body += d.toString()
  })
  req.on('end', () => {
    if (req.url === '/gzip') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' })
      return res.end(gzipSync(JSON.stringify({ zipped: true })))
    }
    if (req.url === '/empty') {
      res.writeHead(204)
      return res.end()
    }
    if (req.url === '/slow') return setTimeout(() => res.end('late'), 500)
    if (req.url === '/moved') {
      res.writeHead(307, { location: '/echo' })
      return res.end()
    }
    if (req.url === '/plain-stream') {
      // A server that streams without saying text/event-stream.
      res.writeHead(200, { 'content-type': 'application/octet-stream' })
      plainStreamEnded = false
      res.write('data: 1\n\n')
      return setTimeout(() => {
        plainStreamEnded = true
        res.end('data: 2\n\n')
      }, 300)
    }
    if (req.url === '/sse') {
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      res.write('data: 1\n\n')
      return setTimeout(() => res.end('data: 2\n\n'), 20)
    }
    res.writeHead(201, { 'content-type': 'application/json', 'x-request-id': 'req_1' })
    res.end(JSON.stringify({ method: req.method, body, auth: req.headers.authorization ?? null }))
  })
})
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
const fetchIt = keepAliveFetch()

t.test('sends method, headers and body; answers status, headers and body; reuses the connection', async (t) => {
  sockets.clear()
  for (let i = 0; i < 3; i++) {
    const res = await fetchIt(`${base}/echo`, { method: 'POST', headers: new Headers({ authorization: 'Bearer k' }), body: `{"i":${i}}` })
    t.equal(res.status, 201)
    t.ok(res.ok)
    t.equal(res.headers.get('x-request-id'), 'req_1')
    t.same(await res.json(), { method: 'POST', body: `{"i":${i}}`, auth: 'Bearer k' })
    t.ok(res.bodyUsed)
    await t.rejects(res.text(), TypeError, 'a body is read once')
  }
  t.equal(sockets.size, 1, 'one keep-alive connection')
})

t.test('a gzip body comes decoded; a 204 has no body', async (t) => {
  t.same(await (await fetchIt(`${base}/gzip`)).json(), { zipped: true })
  const empty = await fetchIt(`${base}/empty`)
  t.equal(empty.status, 204)
  t.equal(empty.body, null)
})

t.test('the body as a stream, and an event stream as it arrives', async (t) => {
  const res = await fetchIt(`${base}/echo`, { method: 'POST', body: 'x' })
  const reader = res.body?.getReader()
  const first = await reader?.read()
  t.match(new TextDecoder().decode(first?.value), /"body":"x"/)
  const sse = await fetchIt(`${base}/sse`)
  t.equal(await sse.text(), 'data: 1\n\ndata: 2\n\n')
})

t.test('an abort (the SDK timeout) rejects with an AbortError', async (t) => {
  const err = await fetchIt(`${base}/slow`, { signal: AbortSignal.timeout(50) }).catch((e: unknown) => e)
  t.match(err, { name: /AbortError|TimeoutError/ })
  const before = new AbortController()
  before.abort()
  t.match(await fetchIt(`${base}/slow`, { signal: before.signal }).catch((e: unknown) => e), { name: 'AbortError' })
})

t.test('an unreachable server is a rejection, not a hang', async (t) => {
  await t.rejects(fetchIt('http://127.0.0.1:9/v1/chat/completions', { method: 'POST', body: '{}' }))
})

t.test('looking at the body does not use it up; reading it does', async (t) => {
  const res = await fetchIt(`${base}/echo`, { method: 'POST', body: 'y' })
  t.ok(res.body, 'the SDK looks at body to link abort signals')
  t.notOk(res.bodyUsed)
  t.match(await res.json(), { body: 'y' })
  t.ok(res.bodyUsed)
})

t.test('a redirect is followed (by the global fetch), method and body kept for a 307', async (t) => {
  const res = await fetchIt(`${base}/moved`, { method: 'POST', body: 'z' })
  t.equal(res.status, 201)
  t.match(await res.json(), { method: 'POST', body: 'z' })
})

t.test('a request asking to stream gets the answer as it arrives, whatever its content type', async (t) => {
  const res = await fetchIt(`${base}/plain-stream`, { method: 'POST', body: '{"model":"m","stream":true}' })
  t.notOk(plainStreamEnded, 'handed over before the server ended the body')
  t.equal(await res.text(), 'data: 1\n\ndata: 2\n\n')
})
