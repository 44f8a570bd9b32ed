import { Ajv, type Options } from 'ajv'
import addFormats from 'ajv-formats'
import { fullFormats } from 'ajv-formats/dist/formats.js'
import type { FastifyServerOptions } from 'fastify'
import { FIRST_STORABLE_MS, LAST_STORABLE_MS, UUID_PATTERN } from '../storable.ts'
import { buildSimplifiedSerializer } from './serializer.ts'

type SchemaController = NonNullable<FastifyServerOptions['schemaController']>

type StringFormat = { validate: (s: string) => boolean; compare: (a: string, b: string) => number | undefined }
const isoDateTime = fullFormats['date-time'] as StringFormat
const isoDate = fullFormats.date as StringFormat

/**
 * RFC 3339 date-times and dates that the services can read back as a JavaScript Date and store
 * in Postgres (years 0001 to 9999: a Date past 9999 is sent as `+010000-…`, which PGlite refuses, and
 * Postgres has no year 0000). ajv-formats takes a leap second (23:59:60, an Invalid Date here:
 * `toISOString` threw), year 0000, and a space for the `T`: each passed validation and failed as a
 * 500 or was read as another year.
 */
const dateTime: StringFormat = {
  validate: (s) => {
    // With a space between date and time, V8 parses with its legacy parser (years 00-49 as 20xx).
    if (!isoDateTime.validate(s) || (s[10] !== 'T' && s[10] !== 't')) return false
    const t = Date.parse(s)
    return t >= FIRST_STORABLE_MS && t <= LAST_STORABLE_MS
  },
  compare: isoDateTime.compare,
}
const date: StringFormat = { validate: (s) => isoDate.validate(s) && !s.startsWith('0000'), compare: isoDate.compare }

function makeAjv(options: Options, external: Record<string, unknown>): Ajv {
  const ajv = new Ajv({ discriminator: true, useDefaults: true, removeAdditional: false, allErrors: false, strict: false, ...options })
  addFormats.default(ajv)
  // ajv-formats' `uuid` also takes a `urn:uuid:` prefix, which Postgres refuses: such an id passed
  // validation and failed as a 500.
  ajv.addFormat('uuid', UUID_PATTERN)
  ajv.addFormat('date-time', { type: 'string', ...dateTime })
  ajv.addFormat('date', { type: 'string', ...date })
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
