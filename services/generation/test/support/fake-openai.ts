// A local OpenAI-compatible HTTP server for tests and the bench: /v1/chat/completions (plain,
// n variants, JSON output, SSE streaming with usage) and /v1/moderations. Each request is recorded;
// `script` queues behaviours (an error status, a delay, a fixed answer) for the next requests.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface RecordedRequest {
  path: string
  body: {
    model?: string
    messages?: { role: string; content: string }[]
    n?: number
    stream?: boolean
    response_format?: { type: string; json_schema?: { name: string; schema: unknown } }
    input?: string[] | string
  }
  headers: IncomingMessage['headers']
}

export type Behaviour =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  | { delayMs: number }
  | { answer: string | string[] }
  /** Streams some chunks, then drops the connection. */
  | { breakAfterChunks: number }

export interface FakeOpenAi {
  url: string
  requests: RecordedRequest[]
  /** Behaviours for the next requests, in order (a request with none queued gets the default answer). */
  script(...b: Behaviour[]): void
  /** The answer when nothing is scripted: by default a text echoing the style instructions. */
  answer: (req: RecordedRequest, index: number) => string
  close(): Promise<void>
}

/** The default answer: names the style it was asked for, so tests can see the prompt shaped it. */
export function styleEcho(req: RecordedRequest, index: number): string {
  const system = req.body.messages?.find((m) => m.role === 'system')?.content ?? ''
  const formal = system.includes('formal register')
    ? 'Dear reader, we are pleased to share this.'
    : system.includes('casual')
      ? 'Hey! Check this out'
      : 'Here is the update.'
  const emoji = system.includes('several emoji') ? ' 🎉🎉🎉' : ''
  if (req.body.response_format?.type === 'json_schema')
    return JSON.stringify({ narration: `Model narration ${index}. ${formal}`, options: ['Go left', 'Go right'] })
  return `${formal} Variant ${index}.${emoji}`
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let s = ''
    req.on('data', (d: Buffer) => {
      s += d.toString()
    })
    req.on('end', () => resolve(s))
  })
}

/** `record: false` keeps no requests (a benchmark's thousands would only grow its heap). */
export async function startFakeOpenAi(o: { record?: boolean } = {}): Promise<FakeOpenAi> {
  const queue: Behaviour[] = []
  const requests: RecordedRequest[] = []
  const sockets = new Set<import('node:net').Socket>()
  const fake: FakeOpenAi = {
    url: '',
    requests,
    script: (...b) => queue.push(...b),
    answer: styleEcho,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers })
    res.end(JSON.stringify(body))
  }
  const server: Server = createServer(async (req, res) => {
    const raw = await readBody(req)
    const rec: RecordedRequest = { path: req.url ?? '', body: raw ? JSON.parse(raw) : {}, headers: req.headers }
    if (o.record !== false) requests.push(rec)
    const b = queue.shift()
    if (b && 'status' in b) return json(res, b.status, b.body ?? { error: { message: `scripted ${b.status}`, type: 'server_error' } }, b.headers)
    if (b && 'delayMs' in b) await new Promise((r) => setTimeout(r, b.delayMs))
    if (rec.path.endsWith('/moderations')) {
      const inputs = Array.isArray(rec.body.input) ? rec.body.input : [rec.body.input ?? '']
      return json(res, 200, {
        id: 'modr-1',
        model: 'omni-moderation-latest',
        results: inputs.map((t) => {
          const v = /\bviolen|\bkill\b/i.test(String(t)) ? 0.97 : 0.01
          return {
            flagged: v > 0.5,
            categories: { violence: v > 0.5 },
            category_scores: { violence: v, hate: 0.001, harassment: 0.002, sexual: 0.001, 'self-harm': 0.001 },
          }
        }),
      })
    }
    if (!rec.path.endsWith('/chat/completions')) return json(res, 404, { error: { message: 'not found' } })
    const n = rec.body.n ?? 1
    const scripted = b && 'answer' in b ? (Array.isArray(b.answer) ? b.answer : [b.answer]) : undefined
    const texts = Array.from({ length: n }, (_, i) => scripted?.[i] ?? scripted?.[0] ?? fake.answer(rec, i))
    const promptTokens = JSON.stringify(rec.body.messages ?? []).length >> 2
    if (rec.body.stream) {
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      const words = (texts[0] as string).match(/\S+\s*/g) ?? []
      const chunk = (delta: object, extra: object = {}) =>
        res.write(
          `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: rec.body.model, choices: [{ index: 0, delta, finish_reason: null }], ...extra })}\n\n`,
        )
      chunk({ role: 'assistant', content: '' })
      for (let i = 0; i < words.length; i++) {
        if (b && 'breakAfterChunks' in b && i >= b.breakAfterChunks) {
          // Let the chunks so far reach the client, then drop the connection mid-body.
          setTimeout(() => res.socket?.destroy(), 30)
          return
        }
        chunk({ content: words[i] })
      }
      res.write(
        `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: rec.body.model, choices: [], usage: { prompt_tokens: promptTokens, completion_tokens: words.length, total_tokens: promptTokens + words.length } })}\n\n`,
      )
      res.end('data: [DONE]\n\n')
      return
    }
    json(res, 200, {
      id: 'chatcmpl-1',
      object: 'chat.completion',
      created: 1,
      model: rec.body.model,
      choices: texts.map((content, index) => ({ index, message: { role: 'assistant', content }, finish_reason: 'stop' })),
      usage: { prompt_tokens: promptTokens, completion_tokens: texts.join(' ').length >> 2, total_tokens: 0 },
    })
  })
  server.on('connection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`
  return fake
}
