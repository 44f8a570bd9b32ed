import { AdFormat, IabCategory } from '@attune/contracts'
import { type Static, Type } from 'typebox'

export const Uuid = Type.String({ format: 'uuid', examples: ['0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c42'] })
export const DateTime = Type.String({ format: 'date-time' })
export const Name = Type.String({ minLength: 1, maxLength: 200, pattern: '\\S', examples: ['Acme Outdoor'] })
export const Money = (description: string) => Type.Number({ minimum: 0, maximum: 1e12, description })
export const Categories = (description: string) => Type.Array(IabCategory, { maxItems: 50, uniqueItems: true, description })
export { AdFormat }

export const IdParams = (name: string) => Type.Object({ [name]: Uuid }, { additionalProperties: false })

export const Deleted = Type.Null({ description: 'Deleted' })

export const Status = Type.Union([Type.Literal('active'), Type.Literal('paused')], { description: 'Paused items never serve', default: 'active' })
export type Status = Static<typeof Status>
