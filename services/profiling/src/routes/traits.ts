import { AppError, errors, problemRef, problemResponses, type ServiceApp, type ServiceContext } from '@attune/kit'
import { type Static, Type } from 'typebox'
import type { ProfilingDb } from '../db.ts'
import { definitionErrors } from '../domain/custom-traits.ts'
import { TraitDefinition, TraitDefinitionList, TraitNameParams } from '../schemas/traits.ts'
import { deleteTraitDefinition, insertTraitDefinition, listTraitDefinitions } from '../store/profiles-store.ts'

export function traitRoutes(app: ServiceApp, ctx: ServiceContext<ProfilingDb>) {
  app.post(
    '/v1/traits',
    {
      schema: {
        operationId: 'createTrait',
        tags: ['traits'],
        summary: 'Define a custom computed trait',
        description:
          'Counter, sum, average, most frequent, first, last or unique list of a property, over a window and an event filter; shown under `custom` on every profile.',
        body: TraitDefinition,
        response: { 201: TraitDefinition, 409: problemRef, ...problemResponses },
      },
    },
    async (request, reply) => {
      const d = { ...request.body, property: request.body.property ?? null, eventTypes: request.body.eventTypes ?? [], filter: request.body.filter ?? {} }
      const problems = definitionErrors(d)
      if (problems.length > 0) throw new AppError('validation_failed', problems.map((p) => `${p.field} ${p.message}`).join('; '), { errors: problems })
      if (!(await insertTraitDefinition(ctx.db, d))) throw errors.conflict(`a trait named ${d.name} already exists`)
      return reply.code(201).send(request.body)
    },
  )
  app.get(
    '/v1/traits',
    {
      schema: { operationId: 'listTraits', tags: ['traits'], summary: 'Custom trait definitions', response: { 200: TraitDefinitionList, ...problemResponses } },
    },
    async () => ({
      items: (await listTraitDefinitions(ctx.db)).map(({ property, eventTypes, ...d }) => ({
        ...d,
        eventTypes: eventTypes as Static<typeof TraitDefinition>['eventTypes'],
        ...(property ? { property } : {}),
      })),
    }),
  )
  app.delete(
    '/v1/traits/:name',
    {
      schema: {
        operationId: 'deleteTrait',
        tags: ['traits'],
        summary: 'Remove a custom trait definition',
        params: TraitNameParams,
        response: { 204: Type.Null({ description: 'Removed' }), ...problemResponses },
      },
    },
    async (request, reply) => {
      if (!(await deleteTraitDefinition(ctx.db, request.params.name))) throw errors.notFound('Trait', request.params.name)
      return reply.code(204).send(null)
    },
  )
}
