import { ExternalId } from '@attune/contracts'
import { Type } from 'typebox'

export const PreferencesParams = Type.Object({ userId: ExternalId }, { additionalProperties: false })
