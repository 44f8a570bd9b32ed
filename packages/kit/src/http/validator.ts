import { Ajv, type Options } from 'ajv'
import addFormats from 'ajv-formats'
import type { FastifyServerOptions } from 'fastify'
import { buildSimplifiedSerializer } from './serializer.ts'

type SchemaController = NonNullable<FastifyServerOptions['schemaController']>

/**
 * A UUID in the hyphenated form Postgres reads. ajv-formats' `uuid` also takes a `urn:uuid:`
 * prefix, which Postgres's uuid type refuses: such an id passed validation and failed as a 500.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

function makeAjv(options: Options, external: Record<string, unknown>): Ajv {
  const ajv = new Ajv({ discriminator: true, useDefaults: true, removeAdditional: false, allErrors: false, strict: false, ...options })
  addFormats.default(ajv)
  ajv.addFormat('uuid', UUID)
  for (const schema of Object.values(external)) ajv.addSchema(schema as object)
  return ajv
}

/**
 * Responses are serialized from simplified schemas (see `simplifyForSerialization`).
 * Bodies are validated strictly (a number where a string belongs is an error, not coerced);
 * query strings, params and headers arrive as text, so those coerce.
 */
export const schemaController: SchemaController = {
  compilersFactory: {
    buildValidator: ((externalSchemas: unknown) => {
      const external = (externalSchemas ?? {}) as Record<string, unknown>
      const strict = makeAjv({ coerceTypes: false }, external)
      const coercing = makeAjv({ coerceTypes: 'array' }, external)
      return ({ schema, httpPart }: { schema: object; httpPart?: string }) => (httpPart === 'body' ? strict : coercing).compile(schema)
    }) as unknown as NonNullable<SchemaController['compilersFactory']>['buildValidator'],
    buildSerializer: buildSimplifiedSerializer as unknown as NonNullable<SchemaController['compilersFactory']>['buildSerializer'],
  },
}
