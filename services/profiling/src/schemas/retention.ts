import { type Static, Type } from 'typebox'

export const RetentionRun = Type.Object(
  {
    purged: Type.Integer({ minimum: 0, description: 'Raw events deleted by this run' }),
    cutoff: Type.String({ format: 'date-time', description: 'Events that happened before this were purged (now minus EVENT_RETENTION_DAYS)' }),
  },
  { additionalProperties: false, examples: [{ purged: 1234, cutoff: '2025-10-26T09:00:00.000Z' }] },
)
export type RetentionRun = Static<typeof RetentionRun>
