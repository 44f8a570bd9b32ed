// The floor under any gateway, for the gateway benchmark: a bare node:http server that passes each
// request's messages to the local provider through the same SDK and HTTP client as the gateway
// (no Fastify, no auth, no moderation, no database) and answers with the texts. Prints
// `url=<base URL>` once listening.
import { createServer } from 'node:http'
import OpenAI from 'openai'
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions'
import { keepAliveFetch } from '../src/providers/keep-alive-fetch.ts'

const client = new OpenAI({ apiKey: 'sk-bench', baseURL: process.env.OPENAI_BASE_URL, maxRetries: 0, fetch: keepAliveFetch() })

const server = createServer((req, res) => {
  let body = ''
  req.setEncoding('utf8')
  req.on('data', (chunk: string) => {
    body += chunk
  })
  req.on('end', async () => {
    try {
      const { messages } = JSON.parse(body) as { messages: ChatCompletionMessageParam[] }
      const r = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, n: 1, temperature: 0.7, max_tokens: 400 })
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ texts: r.choices.map((c) => c.message.content), usage: r.usage }))
    } catch (err) {
      res.writeHead(502, { 'content-type': 'text/plain' }).end(String(err))
    }
  })
})
process.on('SIGTERM', () => server.close(() => process.exit(0)))
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as { port: number }
  process.stdout.write(`url=http://127.0.0.1:${port}\n`)
})
