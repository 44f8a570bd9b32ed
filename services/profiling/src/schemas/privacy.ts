import { ExternalId, Uuid } from '@attune/contracts'
import { type Static, Type } from 'typebox'

export const PrivacyUserParams = Type.Object({ userId: ExternalId }, { additionalProperties: false })
export type PrivacyUserParams = Static<typeof PrivacyUserParams>

export const PrivacyRequestParams = Type.Object({ id: Uuid }, { additionalProperties: false })
export type PrivacyRequestParams = Static<typeof PrivacyRequestParams>
