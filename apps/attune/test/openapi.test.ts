// Every route of every service is documented: operationId, tags, and examples for what it
// takes and returns; the checked-in openapi/ files are what the code generates.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { generateSpecs } from '../../../scripts/openapi-specs.ts'

type Schema = { examples?: unknown[]; example?: unknown; $ref?: string }
// @fastify/swagger moves a schema's `examples` onto the media type object.
type Media = { schema: Schema; example?: unknown; examples?: unknown }
type Operation = {
  operationId?: string
  tags?: string[]
  requestBody?: { content: Record<string, Media> }
  parameters?: { in: string; name: string; schema: Schema }[]
  responses: Record<string, { content?: Record<string, Media> }>
}

const specs = await generateSpecs()

for (const [name, json] of specs) {
  t.test(`${name}: every operation is complete`, async (t) => {
    const doc = JSON.parse(json) as { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } }
    const ids = new Set<string>()
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const where = `${method.toUpperCase()} ${path}`
        t.ok(op.operationId, `${where} has an operationId`)
        t.notOk(ids.has(op.operationId ?? ''), `${where} operationId is unique`)
        ids.add(op.operationId ?? '')
        t.ok(op.tags?.length, `${where} has tags`)
        const hasExample = (m: Media | undefined) =>
          Boolean(
            m &&
              (m.example !== undefined ||
                m.examples !== undefined ||
                m.schema.examples?.length ||
                (m.schema.$ref && doc.components.schemas[m.schema.$ref.split('/').pop() ?? '']?.examples)),
          )
        const body = op.requestBody?.content['application/json']
        if (body) t.ok(hasExample(body), `${where} request body has examples`)
        // Success is a 2xx, or a redirect (click tracking answers 302 to the advertiser).
        const ok = Object.entries(op.responses).find(([status]) => status.startsWith('2') || status.startsWith('3'))
        t.ok(ok, `${where} documents a 2xx response`)
        // 204 No Content and redirects have no body to exemplify.
        if (ok?.[0] !== '204' && !ok?.[0].startsWith('3')) t.ok(hasExample(ok?.[1].content && Object.values(ok[1].content)[0]), `${where} 2xx has examples`)
        if (op.operationId !== 'getLiveness' && op.operationId !== 'getReadiness' && op.operationId !== 'getMetrics') {
          for (const status of ['400', '401', '500']) t.ok(op.responses[status], `${where} documents ${status}`)
        }
      }
    }
  })
  t.test(`${name}: openapi/${name}.json matches the code`, async (t) => {
    t.equal(readFileSync(join(import.meta.dirname, '..', '..', '..', 'openapi', `${name}.json`), 'utf8'), json, 'run pnpm openapi')
  })
}
