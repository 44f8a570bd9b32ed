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
