import { type Static, Type } from 'typebox'

export const ProblemFieldError = Type.Object(
  {
    field: Type.String({ description: 'JSON pointer of the offending field, e.g. /events/3/type', examples: ['/events/0/type'] }),
    in: Type.Optional(Type.Union([Type.Literal('body'), Type.Literal('querystring'), Type.Literal('params'), Type.Literal('headers')])),
    message: Type.String({ examples: ['must be equal to one of the allowed values'] }),
  },
  { additionalProperties: false },
)

/** RFC 9457 problem details; `code` is stable and machine-readable, `instance` is the request id. */
export const Problem = Type.Object(
  {
    type: Type.String({ description: 'URI identifying the problem type', examples: ['https://attune.dev/problems/validation-failed'] }),
    title: Type.String({ examples: ['Request validation failed'] }),
    status: Type.Integer({ minimum: 400, maximum: 599, examples: [400] }),
    code: Type.String({ examples: ['validation_failed'] }),
    detail: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String({ description: 'Request id' })),
    errors: Type.Optional(Type.Array(ProblemFieldError)),
  },
  { $id: 'Problem', additionalProperties: true },
)
export type Problem = Static<typeof Problem>
export type ProblemFieldError = Static<typeof ProblemFieldError>

export const PROBLEM_CONTENT_TYPE = 'application/problem+json'
