import { SerializerSelector } from '@fastify/fast-json-stringify-compiler'

type Schema = Record<string, unknown>
const PRIMITIVES = new Set(['string', 'number', 'integer', 'boolean', 'null'])

/** A branch that names one primitive type and nothing a serializer would look inside. */
function isPrimitiveBranch(s: unknown): s is Schema & { type: string } {
  if (typeof s !== 'object' || s === null) return false
  const b = s as Schema
  return typeof b.type === 'string' && PRIMITIVES.has(b.type) && !('$ref' in b) && !('anyOf' in b) && !('oneOf' in b) && !('allOf' in b)
}

/**
 * The same schema as a response serializer needs it. fast-json-stringify serializes an `anyOf` by
 * validating the value against each branch with Ajv (formats included), per value; TypeBox writes
 * every nullable field (`Union([String, Null])`) and every literal union that way, which made that
 * validation most of the cost of serializing a slate. A union of primitive branches becomes one
 * `type` list, which serializes without validation. Responses are built by the service, so what
 * the branches constrain beyond the type (an enum, a format) is for the documentation and request
 * validation, which keep the original schema.
 */
export function simplifyForSerialization(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(simplifyForSerialization)
  if (typeof schema !== 'object' || schema === null) return schema
  const out: Schema = {}
  for (const [k, v] of Object.entries(schema as Schema)) {
    // Examples, defaults and enums are data, not schemas.
    out[k] = k === 'examples' || k === 'example' || k === 'default' || k === 'enum' || k === 'const' ? v : simplifyForSerialization(v)
  }
  const union = (out.anyOf ?? out.oneOf) as unknown[] | undefined
  if (Array.isArray(union) && union.length > 0 && union.every(isPrimitiveBranch)) {
    const types = [...new Set(union.map((b) => b.type))]
    const formats = [...new Set(union.flatMap((b) => (typeof b.format === 'string' ? [b.format] : [])))]
    delete out.anyOf
    delete out.oneOf
    out.type = types.length === 1 ? types[0] : types
    // A single format (e.g. date-time) still turns a Date into its ISO string.
    if (formats.length === 1 && types.filter((t) => t !== 'null').length === 1) out.format = formats[0]
  }
  return out
}

type BuildSerializer = ReturnType<typeof SerializerSelector>

/** Fastify's default response serializer builder (fast-json-stringify) over simplified schemas. */
export const buildSimplifiedSerializer: BuildSerializer = (externalSchemas, serializerOpts) => {
  const external = Object.fromEntries(Object.entries(externalSchemas ?? {}).map(([id, s]) => [id, simplifyForSerialization(s)]))
  const compile = SerializerSelector()(external as typeof externalSchemas, serializerOpts)
  return (route) => compile({ ...route, schema: simplifyForSerialization(route.schema) as typeof route.schema })
}
