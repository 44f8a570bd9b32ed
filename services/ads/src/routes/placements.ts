import { errors, problemResponses, ref, type ServiceApp, type ServiceContext } from '@attune/kit'
import { v7 as uuidv7 } from 'uuid'
import type { AdsConfig } from '../config.ts'
import type { AdsDb } from '../db.ts'
import { Deleted, IdParams } from '../schemas/common.ts'
import { Placement, PlacementInput, PlacementList } from '../schemas/placements.ts'
import type { Serving } from '../serving/serving.ts'
import { deletePlacement, getPlacement, insertPlacement, listPlacements, toPlacement, updatePlacement } from '../store/placements-store.ts'

const Params = IdParams('placementId')

export function placementRoutes(app: ServiceApp, ctx: ServiceContext<AdsDb, AdsConfig>, serving: Serving) {
  const tags = ['placements']
  app.post(
    '/v1/placements',
    {
      schema: {
        operationId: 'createPlacement',
        tags,
        summary: 'Create a placement',
        description: 'A slot on the site (zone) of one format; ads of that format can fill it.',
        body: ref(PlacementInput),
        response: { 201: ref(Placement), ...problemResponses },
      },
    },
    async (request, reply) => {
      const row = await insertPlacement(ctx.db, uuidv7(), request.body, ctx.clock())
      await serving.changed()
      return reply.code(201).send(toPlacement(row))
    },
  )
  app.get(
    '/v1/placements',
    { schema: { operationId: 'listPlacements', tags, summary: 'All placements, by zone', response: { 200: PlacementList, ...problemResponses } } },
    async () => ({ placements: (await listPlacements(ctx.db)).map(toPlacement) }),
  )
  app.get(
    '/v1/placements/:placementId',
    { schema: { operationId: 'getPlacement', tags, summary: 'One placement', params: Params, response: { 200: ref(Placement), ...problemResponses } } },
    async (request) => {
      const row = await getPlacement(ctx.db, request.params.placementId as string)
      if (!row) throw errors.notFound('Placement', request.params.placementId as string)
      return toPlacement(row)
    },
  )
  app.put(
    '/v1/placements/:placementId',
    {
      schema: {
        operationId: 'updatePlacement',
        tags,
        summary: 'Replace a placement',
        params: Params,
        body: ref(PlacementInput),
        response: { 200: ref(Placement), ...problemResponses },
      },
    },
    async (request) => {
      const row = await updatePlacement(ctx.db, request.params.placementId as string, request.body)
      if (!row) throw errors.notFound('Placement', request.params.placementId as string)
      await serving.changed()
      return toPlacement(row)
    },
  )
  app.delete(
    '/v1/placements/:placementId',
    { schema: { operationId: 'deletePlacement', tags, summary: 'Delete a placement', params: Params, response: { 204: Deleted, ...problemResponses } } },
    async (request, reply) => {
      if (!(await deletePlacement(ctx.db, request.params.placementId as string))) throw errors.notFound('Placement', request.params.placementId as string)
      await serving.changed()
      return reply.code(204).send(null)
    },
  )
}
