// A schema-driven probe of every documented route: a plausible request built from the OpenAPI
// document (its examples, ids captured from earlier answers), then the same request with one
// parameter or body field at a time replaced by an edge value of its type. Whatever the answer,
// it must not be a 5xx: bad input is a 4xx problem naming the field. Ids come from this service's
// answers before another's, links (signed tracking URLs) keep their query, and deletes and
// cancellations go last; `unreached` lists the operations that never once succeeded, whose edge
// values then only met a lookup of something that is not there.

export interface JsonSchema {
  $ref?: string
  type?: string
  format?: string
  enum?: unknown[]
  const?: unknown
  default?: unknown
  examples?: unknown[]
  anyOf?: JsonSchema[]
  oneOf?: JsonSchema[]
  allOf?: JsonSchema[]
  properties?: Record<string, JsonSchema>
  required?: string[]
  items?: JsonSchema
  minItems?: number
  maxItems?: number
  minLength?: number
  maxLength?: number
  minimum?: number
  maximum?: number
}

interface Parameter {
  in: 'path' | 'query' | 'header' | 'cookie'
  name: string
  required?: boolean
  schema: JsonSchema
}

interface Operation {
  parameters?: Parameter[]
  requestBody?: { content: Record<string, { schema: JsonSchema }> }
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>
  components: { schemas: Record<string, JsonSchema> }
}

export interface ProbeResult {
  requests: number
  /** How many answers had each status. */
  statuses: Map<number, number>
  /** One line per 5xx answer or failed request: status, method, path and what was changed. */
  failures: string[]
  /** The operations (`GET /v1/x/{id}`) no request of which was answered with a 2xx or 3xx. */
  unreached: string[]
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
type Path = (string | number)[]

const DAY_MS = 86_400_000
const AS_DOCUMENTED = 'as documented'
const MAX_DEPTH = 3
// The examples were written around this day.
const EXAMPLES_WRITTEN = Date.parse('2026-11-20T00:00:00Z')
const shift = Math.max(0, Date.now() + 2 * DAY_MS - EXAMPLES_WRITTEN)

/** Probes one service's routes under `base` (e.g. http://host/ads); `ids` carries ids captured across services. */
export async function probeService(
  doc: OpenApiDocument,
  base: string,
  key: string,
  ids: Map<string, string>,
  /** Fields set on an operation's documented body (`POST /v1/campaigns`), where its example cannot succeed here. */
  overrides: Record<string, Record<string, Json>> = {},
): Promise<ProbeResult> {
  const failures: string[] = []
  const statuses = new Map<number, number>()
  let requests = 0
  const reached = new Set<string>()
  const operations: string[] = []
  const destructive: (() => Promise<void>)[] = []
  // An id this service answered with comes before one of the same name from another service
  // (scheduling's campaignId is no ads campaign).
  const own = new Map<string, string>()
  // The query of links the service answered with, by path (signed tracking links).
  const links = new Map<string, Record<string, string>>()
  // `parentTurnId` takes a `turnId`.
  const idNamed = (name: string): string | undefined => {
    const found = own.get(name) ?? ids.get(name)
    const kind = /^[a-z]+([A-Z]\w*Id)$/.exec(name)?.[1]
    return found ?? (kind ? idNamed(kind.charAt(0).toLowerCase() + kind.slice(1)) : undefined)
  }
  const deref = (s: JsonSchema | undefined): JsonSchema | undefined => {
    let out = s
    while (out?.$ref) out = doc.components.schemas[out.$ref.split('/').pop() ?? '']
    return out
  }
  // Example times are of the day they were written: all move by one offset (so their order holds)
  // to the days ahead, but an event's own `time`, which may not be in the future.
  const fresh = (x: Json, name = ''): Json => {
    const id = idNamed(name)
    if (id !== undefined) return id
    if (typeof x === 'string' && name !== 'time' && /^\d{4}-\d\d-\d\dT/.test(x)) return new Date(Date.parse(x) + shift).toISOString()
    if (Array.isArray(x)) return x.map((v) => fresh(v))
    if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, fresh(v, k)]))
    return x
  }
  const harvest = (x: unknown, depth = 0): void => {
    if (depth > 4 || !x || typeof x !== 'object') return
    if (Array.isArray(x)) {
      for (const v of x.slice(0, 3)) harvest(v, depth + 1)
      return
    }
    for (const [k, v] of Object.entries(x)) {
      const link = typeof v === 'string' && v.startsWith(base) ? /^([^?#]*)\?([^#]*)/.exec(v.slice(base.length)) : null
      if (link && !links.has(link[1] as string)) links.set(link[1] as string, Object.fromEntries(new URLSearchParams(link[2])))
      if (/Id$/.test(k) && typeof v === 'string') {
        if (!own.has(k)) own.set(k, v)
        if (!ids.has(k)) ids.set(k, v)
      } else harvest(v, depth + 1)
    }
  }
  const valid = (schema: JsonSchema | undefined, name = '', depth = 0): Json => {
    const s = deref(schema)
    if (!s || depth > 6) return null
    const id = /Id$/.test(name) ? idNamed(name) : undefined
    if (id !== undefined) return id
    if (s.examples?.length) return fresh(s.examples[0] as Json, name)
    if (s.default !== undefined) return s.default as Json
    if (s.const !== undefined) return s.const as Json
    if (s.enum) return s.enum[0] as Json
    const alternatives = s.anyOf ?? s.oneOf
    if (alternatives)
      return valid(
        alternatives.map(deref).find((a) => a?.type !== 'null'),
        name,
        depth + 1,
      )
    if (s.allOf) return Object.assign({}, ...s.allOf.map((a) => valid(a, name, depth + 1)))
    switch (s.type) {
      case 'object': {
        const o: Record<string, Json> = {}
        for (const [k, v] of Object.entries(s.properties ?? {}))
          if (s.required?.includes(k) || deref(v)?.examples?.length || idNamed(k) !== undefined) o[k] = valid(v, k, depth + 1)
        return o
      }
      case 'array':
        return Array.from({ length: Math.max(1, s.minItems ?? 1) }, () => valid(s.items, name, depth + 1))
      case 'integer':
      case 'number':
        return Math.max(s.minimum ?? 1, 1)
      case 'boolean':
        return true
      case 'string':
        if (s.format === 'uuid') return crypto.randomUUID()
        if (s.format === 'date-time') return new Date(Date.now() + 2 * DAY_MS).toISOString()
        if (s.format === 'date') return new Date(Date.now() + 2 * DAY_MS).toISOString().slice(0, 10)
        if (s.format === 'uri') return 'https://example.com/x'
        return 'a'.repeat(Math.max(s.minLength ?? 1, 1))
    }
    return null
  }
  const edges = (schema: JsonSchema | undefined): Json[] => {
    const s = deref(schema)
    if (!s) return []
    const alternatives = s.anyOf ?? s.oneOf
    if (alternatives) return [...new Set(alternatives.flatMap(edges).map((x) => JSON.stringify(x)))].map((x) => JSON.parse(x) as Json)
    const out: Json[] = [null, 'x', 12345, true, [], {}]
    const type = s.type ?? (s.enum ? typeof s.enum[0] : undefined)
    if (type === 'string') {
      out.push('', ' ', '\ud800', 'x\u{1F600}y', '\u202e', 'a'.repeat(s.maxLength ?? 5000), 'ÿ'.repeat(Math.min(s.maxLength ?? 300, 300)))
      // The last: a UUIDv7 whose time is in the year 10889.
      if (s.format === 'uuid')
        out.push(`urn:uuid:${crypto.randomUUID()}`, crypto.randomUUID().toUpperCase(), `{${crypto.randomUUID()}}`, 'ffffffff-ffff-7fff-bfff-ffffffffffff')
      if (s.format === 'date-time')
        out.push(
          '2016-12-31T23:59:60Z',
          '0000-01-01T00:00:00Z',
          '0050-06-01T00:00:00Z',
          '0001-01-01T00:00:00Z',
          '9999-12-31T23:59:59Z',
          '2026-01-01T00:00:00+14:00',
        )
      if (s.format === 'date') out.push('0000-01-01', '0050-06-01', '9999-12-31')
      if (s.format === 'uri') out.push('javascript:alert(1)', 'http://[::1]:99999/', `http://${'a'.repeat(2000)}.com`)
    }
    if (type === 'integer' || type === 'number')
      out.push(0, -1, 0.5, 1e308, -1e308, 2 ** 31, 2 ** 53, -(2 ** 31) - 1, 1e-320, s.maximum ?? 1e15, s.minimum ?? -1e15)
    if (type === 'array') out.push(Array.from({ length: Math.min(s.maxItems ?? 1000, 1000) }, () => valid(s.items)))
    return out
  }
  const fieldsOf = (schema: JsonSchema | undefined, prefix: Path = [], depth = 0): [Path, JsonSchema][] => {
    const s = deref(schema)
    if (!s || depth > MAX_DEPTH) return []
    const out: [Path, JsonSchema][] = prefix.length > 0 ? [[prefix, s]] : []
    if (s.type === 'object') for (const [k, v] of Object.entries(s.properties ?? {})) out.push(...fieldsOf(v, [...prefix, k], depth + 1))
    if (s.type === 'array' && s.items) out.push(...fieldsOf(s.items, [...prefix, 0], depth + 1))
    for (const a of s.anyOf ?? []) {
      const d = deref(a)
      if (d?.type === 'object' || d?.type === 'array') out.push(...fieldsOf(d, prefix, depth + 1))
    }
    return out
  }
  const setAt = (value: Json, path: Path, v: Json): Json => {
    const root = structuredClone(value) as Record<string | number, Json>
    let o: Record<string | number, Json> = root
    for (let i = 0; i < path.length - 1; i++) {
      const k = path[i] as string | number
      const next = o[k]
      if (next === null || typeof next !== 'object') o[k] = typeof path[i + 1] === 'number' ? [] : {}
      o = o[k] as Record<string | number, Json>
    }
    o[path.at(-1) as string | number] = v
    return root as Json
  }
  const encode = (x: Json) => {
    try {
      return encodeURIComponent(String(x))
    } catch {
      return '%ED%A0%80' // a lone surrogate, as its UTF-8 bytes would be
    }
  }
  // Routes whose parameter is a plain `{id}` or `{name}` take what an answer under the same
  // resource (`/v1/privacy` for `/v1/privacy/requests/{id}`) came with.
  const members = new Map<string, string>()
  const resourceOf = (path: string) => path.split('/').slice(0, 3).join('/')
  const remember = (resource: string, x: unknown) => {
    const first = (o: unknown): Record<string, unknown> | undefined => {
      if (!o || typeof o !== 'object') return undefined
      if (Array.isArray(o)) return first(o[0])
      const r = o as Record<string, unknown>
      if (typeof r.id === 'string' || typeof r.name === 'string') return r
      for (const v of Object.values(r)) if (Array.isArray(v)) return first(v[0])
      return undefined
    }
    const r = first(x)
    for (const k of ['id', 'name'] as const) {
      const v = r?.[k]
      if (typeof v === 'string' && !members.has(`${resource}#${k}`)) members.set(`${resource}#${k}`, v)
    }
  }
  const send = async (operation: string, url: string, body: Json | undefined, what: string) => {
    const [method = '', path = ''] = operation.split(' ')
    requests++
    try {
      const r = await fetch(url, {
        method,
        signal: AbortSignal.timeout(15_000),
        // A click answers with a redirect to the advertiser, which is not this server.
        redirect: 'manual',
        headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      })
      const text = await r.text()
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1)
      if (r.status < 400) reached.add(operation)
      if (r.status >= 500) failures.push(`${r.status} ${method} ${url.slice(base.length)} ${what}: ${text.slice(0, 200)}`)
      else if (r.status < 300 && text.startsWith('{')) {
        const json: unknown = JSON.parse(text)
        harvest(json)
        if (what === AS_DOCUMENTED) remember(resourceOf(path), json)
      }
    } catch (err) {
      failures.push(`${method} ${url.slice(base.length)} ${what}: ${String(err)}`)
    }
  }

  for (const [path, methods] of Object.entries(doc.paths)) {
    if (path.startsWith('/health') || path === '/metrics' || path.startsWith('/docs')) continue
    for (const [m, op] of Object.entries(methods)) {
      const method = m.toUpperCase()
      const operation = `${method} ${path}`
      operations.push(operation)
      const params = (op.parameters ?? []).filter((p) => p.in === 'path' || p.in === 'query')
      const inPath: Record<string, Json> = {}
      for (const p of params)
        if (p.in === 'path') {
          const member = members.get(`${resourceOf(path)}#${p.name}`)
          inPath[p.name] = idNamed(p.name) ?? member ?? valid(p.schema, p.name)
        }
      const query: Record<string, Json> = {}
      for (const p of params) if (p.in === 'query' && p.required) query[p.name] = links.get(path)?.[p.name] ?? valid(p.schema, p.name)
      const url = (pv: Record<string, Json>, q: Record<string, Json>) => {
        const qs = Object.entries(q)
          .map(([k, v]) => `${encodeURIComponent(k)}=${encode(v)}`)
          .join('&')
        return `${base}${path.replace(/\{(\w+)\}/g, (_, n: string) => encode(pv[n] ?? 'x'))}${qs ? `?${qs}` : ''}`
      }
      const bodySchema = op.requestBody?.content['application/json']?.schema
      const documented = bodySchema ? valid(bodySchema) : undefined
      const override = overrides[`${method} ${path}`]
      const body = override && documented && typeof documented === 'object' && !Array.isArray(documented) ? { ...documented, ...override } : documented
      const probe = async (destructive: boolean) => {
        if (!destructive) await send(operation, url(inPath, query), body, AS_DOCUMENTED)
        for (const p of params)
          for (const e of edges(p.schema)) {
            if (e !== null && typeof e === 'object') continue
            const what = `${p.in} ${p.name}=${JSON.stringify(e).slice(0, 40)}`
            if (p.in === 'path') await send(operation, url({ ...inPath, [p.name]: e }, query), body, what)
            else await send(operation, url(inPath, { ...query, [p.name]: e }), body, what)
          }
        if (bodySchema && body !== undefined && method !== 'DELETE')
          for (const [field, s] of fieldsOf(bodySchema))
            for (const e of edges(s))
              await send(operation, url(inPath, query), setAt(body, field, e), `body /${field.join('/')}=${JSON.stringify(e).slice(0, 40)}`)
        if (destructive) await send(operation, url(inPath, query), body, AS_DOCUMENTED)
      }
      // Deleting or cancelling first would leave the other operations nothing to find: those go
      // last, each with its edge values before the request that may succeed.
      if (method === 'DELETE' || path.endsWith('/cancel')) destructive.unshift(() => probe(true))
      else await probe(false)
    }
  }
  // Latest path first: an ad before its campaign, a campaign before its advertiser.
  for (const probe of destructive) await probe()
  return { requests, statuses, failures, unreached: operations.filter((o) => !reached.has(o)) }
}
