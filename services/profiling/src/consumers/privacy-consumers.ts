import { ErasureCompleted, type ErasureCompletedData, EventTypes, ExportRequested, type ExportRequestedData, Topics } from '@attune/contracts'
import type { ConsumerDefinition } from '@attune/kit'
import type { Kysely } from 'kysely'
import type { Logger } from 'pino'
import type { ProfilingDb } from '../db.ts'
import { completeExport, confirmErasure, failRequest, findPrivacyRequest, savepoint } from '../store/privacy-requests-store.ts'

/** Records each service's `privacy.erasure-completed`; the request completes once all required services confirmed. */
export function erasureConfirmationsConsumer(deps: { clock: () => Date; log: Logger }): ConsumerDefinition<ProfilingDb> {
  return {
    name: 'privacy-confirmations',
    topic: Topics.privacy,
    types: [EventTypes.erasureCompleted.type],
    schema: ErasureCompleted,
    async handle(trx, events) {
      for (const e of events) {
        const { requestId, service } = e.data as ErasureCompletedData
        const outcome = await confirmErasure(trx, requestId, service, deps.clock())
        deps.log.info({ requestId, service, outcome }, 'erasure confirmation recorded')
      }
    },
  }
}

/**
 * Gathers the export of `privacy.export-requested` into the request. A hook that throws marks the
 * request failed (its own statements are rolled back to a savepoint); the cause goes to the log only.
 */
export function exportConsumer(deps: {
  service: string
  clock: () => Date
  log: Logger
  exportUser: (db: Kysely<ProfilingDb>, userId: string) => Promise<unknown>
}): ConsumerDefinition<ProfilingDb> {
  return {
    name: 'privacy-export',
    topic: Topics.privacy,
    types: [EventTypes.exportRequested.type],
    schema: ExportRequested,
    async handle(trx, events) {
      for (const e of events) {
        const { requestId, userId } = e.data as ExportRequestedData
        const request = await findPrivacyRequest(trx, requestId, { forUpdate: true })
        if (request?.kind !== 'export' || request.status !== 'pending') continue
        if (request.userId === null) {
          // The user was erased after asking: nothing to export, and the id must not come back in a result.
          await failRequest(trx, requestId, 'the user was erased before the export was gathered', deps.clock())
          continue
        }
        await savepoint.set(trx, 'privacy_export')
        let result: unknown
        try {
          result = await deps.exportUser(trx, userId)
        } catch (err) {
          await savepoint.rollback(trx, 'privacy_export')
          deps.log.error({ err, requestId }, 'export failed')
          await failRequest(trx, requestId, 'the export could not be gathered', deps.clock())
          continue
        }
        await savepoint.release(trx, 'privacy_export')
        await completeExport(trx, requestId, deps.service, result, deps.clock())
      }
    },
  }
}
