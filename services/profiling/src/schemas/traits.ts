import { InteractionTypes } from '@attune/contracts'
import { Type } from 'typebox'

const Kind = Type.Union(
  [
    Type.Literal('counter'),
    Type.Literal('sum'),
    Type.Literal('average'),
    Type.Literal('most_frequent'),
    Type.Literal('first'),
    Type.Literal('last'),
    Type.Literal('unique_list'),
  ],
  { description: 'How events are aggregated' },
)

export const TraitDefinition = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9][a-z0-9_-]*$' }),
    kind: Kind,
    property: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 128,
        pattern: '^[A-Za-z0-9_]+(\\.[A-Za-z0-9_]+)*$',
        description: 'Path into the event, e.g. seconds or properties.category',
      }),
    ),
    windowDays: Type.Integer({ minimum: 1, maximum: 365 }),
    eventTypes: Type.Array(Type.Union(InteractionTypes.map((t) => Type.Literal(t))), {
      uniqueItems: true,
      default: [],
      description: 'Event types counted; empty means all',
    }),
    filter: Type.Record(Type.String({ pattern: '^[A-Za-z0-9_]+(\\.[A-Za-z0-9_]+)*$' }), Type.Union([Type.String(), Type.Number(), Type.Boolean()]), {
      maxProperties: 10,
      additionalProperties: false,
      default: {},
      description: 'Conditions: path → value that must be equal',
    }),
  },
  {
    additionalProperties: false,
    examples: [
      { name: 'avg-dwell-sport-30d', kind: 'average', property: 'seconds', windowDays: 30, eventTypes: ['dwell'], filter: { 'properties.category': 'sport' } },
    ],
  },
)

export const TraitDefinitionList = Type.Object(
  { items: Type.Array(TraitDefinition) },
  { additionalProperties: false, examples: [{ items: [{ name: 'articles-read-30d', kind: 'counter', windowDays: 30, eventTypes: ['view'], filter: {} }] }] },
)

export const TraitNameParams = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9][a-z0-9_-]*$' }) },
  { additionalProperties: false },
)
