import t from 'tap'
import { Type } from 'typebox'
import { buildSimplifiedSerializer, simplifyForSerialization } from '../src/http/serializer.ts'

const Shape = Type.Object(
  {
    kind: Type.Union([Type.Literal('a'), Type.Literal('b')]),
    title: Type.Union([Type.String(), Type.Null()]),
    at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    n: Type.Union([Type.Integer(), Type.Null()]),
    either: Type.Union([Type.Object({ x: Type.Number() }), Type.Null()]),
  },
  { $id: 'Shape' },
)

t.test('unions of primitive branches become one type list; other unions stay', async (t) => {
  const s = simplifyForSerialization(Shape) as { properties: Record<string, Record<string, unknown>> }
  t.same(s.properties.kind, { type: 'string' })
  t.same(s.properties.title, { type: ['string', 'null'] })
  t.same(s.properties.at, { type: ['string', 'null'], format: 'date-time' })
  t.same(s.properties.n, { type: ['integer', 'null'] })
  t.ok(Array.isArray(s.properties.either?.anyOf), 'an object branch keeps the anyOf')
})

t.test('serializes the same JSON as before, through $ref to shared schemas', async (t) => {
  const compile = buildSimplifiedSerializer({ Shape }, {})
  const serialize = compile({ schema: Type.Object({ list: Type.Array(Type.Ref('Shape')) }), method: 'GET', url: '/', httpStatus: '200' }) as (
    v: unknown,
  ) => string
  const at = new Date('2026-11-25T12:00:00.000Z')
  const out = JSON.parse(
    serialize({
      list: [
        { kind: 'a', title: 'T', at, n: 3, either: { x: 1 }, extra: 'dropped' },
        { kind: 'b', title: null, at: null, n: null, either: null },
      ],
    }),
  )
  t.same(out.list, [
    { kind: 'a', title: 'T', at: at.toISOString(), n: 3, either: { x: 1 } },
    { kind: 'b', title: null, at: null, n: null, either: null },
  ])
})
