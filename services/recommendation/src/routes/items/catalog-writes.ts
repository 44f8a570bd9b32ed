import { Topics } from '@attune/contracts'
import { AppError, type ServiceContext } from '@attune/kit'
import type { RecommendationDb } from '../../db.ts'
import { type ItemContent, itemContentErrors } from '../../domain/catalog-items.ts'
import { itemRemovedMessages, itemUpsertedMessages } from '../../domain/item-events.ts'
import { modelRegistryFor } from '../../models/model-registry.ts'
import { deleteItems, type UpsertedItems, upsertItems } from '../../store/items-store.ts'

type Ctx = ServiceContext<RecommendationDb>

/** Rejects the whole request when any item is inconsistent; `pointer(i)` names item i in the body (e.g. `/items/3`). */
export function checkItems(contents: ItemContent[], pointer: (i: number) => string): void {
  const errors = contents.flatMap((c, i) => itemContentErrors(c).map((e) => ({ field: `${pointer(i)}${e.field}`, in: 'body' as const, message: e.message })))
  const firstIndex = new Map<string, number>()
  for (const [i, c] of contents.entries()) {
    const first = firstIndex.get(c.itemId)
    if (first === undefined) firstIndex.set(c.itemId, i)
    else errors.push({ field: `${pointer(i)}/itemId`, in: 'body', message: `repeats ${pointer(first)}/itemId` })
  }
  if (errors.length > 0) throw new AppError('validation_failed', errors.map((e) => `${e.field} ${e.message}`).join('; '), { errors })
}

/** Stores the items and publishes `item.upserted` for each created or changed one, in one transaction. */
export function writeItems(ctx: Ctx, contents: ItemContent[]): Promise<UpsertedItems> {
  const now = ctx.clock()
  return ctx
    .transaction(async (trx, emit) => {
      const changed = await upsertItems(trx, contents, now)
      await emit(itemUpsertedMessages(changed, { topic: ctx.topic(Topics.items), source: ctx.name, now }))
      return changed
    })
    .then((changed) => {
      // This replica stops recommending withdrawn items at once; the others on `item.upserted`.
      const models = modelRegistryFor(ctx)
      for (const item of [...changed.created, ...changed.updated]) {
        models.itemChanged(item.itemId, !item.hidden && (item.expiresAt === null || Date.parse(item.expiresAt) > now.getTime()))
      }
      return changed
    })
}

/** Deletes the items and publishes `item.removed` for each that existed, in one transaction; returns those ids. */
export function removeItems(ctx: Ctx, itemIds: string[]): Promise<string[]> {
  const now = ctx.clock()
  return ctx
    .transaction(async (trx, emit) => {
      const removed = await deleteItems(trx, itemIds)
      await emit(itemRemovedMessages(removed, { topic: ctx.topic(Topics.items), source: ctx.name, now }))
      return removed
    })
    .then((removed) => {
      const models = modelRegistryFor(ctx)
      for (const id of removed) models.itemChanged(id, false)
      return removed
    })
}
