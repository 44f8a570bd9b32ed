import { randomUUID } from 'node:crypto'
import t from 'tap'
import { schemaController } from '../src/http/validator.ts'

type Compile = (external: unknown) => (route: { schema: object; httpPart?: string }) => (value: unknown) => boolean
const build = schemaController.compilersFactory?.buildValidator as unknown as Compile | undefined
if (!build) throw new Error('the kit builds its own validators')
const compile = build({})

t.test('format uuid: the hyphenated form Postgres reads, in either case; not as a URN', async (t) => {
  for (const httpPart of ['body', 'params']) {
    const valid = compile({ schema: { type: 'string', format: 'uuid' }, httpPart })
    const id = randomUUID()
    t.ok(valid(id), `${httpPart}: lower case`)
    t.ok(valid(id.toUpperCase()), `${httpPart}: upper case`)
    t.notOk(valid(`urn:uuid:${id}`), `${httpPart}: a URN`)
    t.notOk(valid(id.replaceAll('-', '')), `${httpPart}: without hyphens`)
    t.notOk(valid(`${id}0`), `${httpPart}: too long`)
  }
})

t.test('format date-time: what a Date and Postgres can hold; date: no year 0000', async (t) => {
  const valid = compile({ schema: { type: 'string', format: 'date-time' }, httpPart: 'body' })
  for (const ok of ['2026-11-25T12:00:00Z', '2026-11-25t12:00:00.123456+02:00', '0001-01-01T00:00:00Z', '0049-06-01T00:00:00Z', '9999-12-31T23:59:59Z'])
    t.ok(valid(ok), ok)
  for (const bad of [
    '2016-12-31T23:59:60Z',
    '0000-01-01T00:00:00Z',
    '0001-01-01T00:00:00+01:00',
    '9999-12-31T23:59:59-01:00',
    '2026-02-30T00:00:00Z',
    '2026-11-25',
  ])
    t.notOk(valid(bad), bad)
  const day = compile({ schema: { type: 'string', format: 'date' }, httpPart: 'params' })
  t.ok(day('2024-02-29'))
  t.notOk(day('0000-01-01'))
  t.notOk(day('2026-02-29'))
})
