import type { ServiceApp, ServiceContext } from '@attune/kit'
import type { RecommendationDb } from '../../db.ts'
import { deleteItemRoute } from './delete-item.ts'
import { deleteItemsRoute } from './delete-items.ts'
import { getItemRoute } from './get-item.ts'
import { listItemsRoute } from './list-items.ts'
import { putItemRoute } from './put-item.ts'
import { upsertItemsRoute } from './upsert-items.ts'

/** The catalog: secret key only (the site's backend or CMS keeps it in sync). */
export function itemRoutes(app: ServiceApp, ctx: ServiceContext<RecommendationDb>) {
  putItemRoute(app, ctx)
  upsertItemsRoute(app, ctx)
  getItemRoute(app, ctx)
  listItemsRoute(app, ctx)
  deleteItemRoute(app, ctx)
  deleteItemsRoute(app, ctx)
}
