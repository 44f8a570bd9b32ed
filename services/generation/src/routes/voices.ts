import { errors, problemRef, problemResponses, ref, type ServiceApp, type ServiceContext } from '@attune/kit'
import { Type } from 'typebox'
import { v7 as uuidv7 } from 'uuid'
import type { GenerationConfig } from '../config.ts'
import type { BrandVoicesTable, GenerationDb } from '../db.ts'
import type { ReadCache } from '../memory/read-cache.ts'
import { Voice, VoiceInput, VoiceList, VoiceParams } from '../schemas/voices.ts'
import { deleteVoice, getVoice, insertVoice, listVoices, toVoice, updateVoice } from '../store/voices-store.ts'

/** Voice writes drop this replica's cached voice at once (other replicas: after the cache's TTL). */
export function voiceRoutes(app: ServiceApp, ctx: ServiceContext<GenerationDb, GenerationConfig>, memory: { voices: ReadCache<BrandVoicesTable | undefined> }) {
  const tags = ['voices']
  app.post(
    '/v1/voices',
    {
      schema: {
        operationId: 'createBrandVoice',
        tags,
        summary: 'Create a brand voice',
        description: 'Tone, preferred vocabulary, banned words and example texts; `POST /v1/generate` writes in it when given its `voiceId`.',
        body: ref(VoiceInput),
        response: { 201: ref(Voice), 409: problemRef, ...problemResponses },
      },
    },
    async (request, reply) => {
      const row = await insertVoice(ctx.db, uuidv7(), request.body, ctx.clock())
      if (!row) throw errors.conflict(`A brand voice named "${request.body.name}" exists`)
      return reply.code(201).send(toVoice(row))
    },
  )
  app.get(
    '/v1/voices',
    { schema: { operationId: 'listBrandVoices', tags, summary: 'All brand voices, by name', response: { 200: VoiceList, ...problemResponses } } },
    async () => ({ voices: (await listVoices(ctx.db)).map(toVoice) }),
  )
  app.get(
    '/v1/voices/:voiceId',
    { schema: { operationId: 'getBrandVoice', tags, summary: 'One brand voice', params: VoiceParams, response: { 200: ref(Voice), ...problemResponses } } },
    async (request) => {
      const row = await getVoice(ctx.db, request.params.voiceId)
      if (!row) throw errors.notFound('Brand voice', request.params.voiceId)
      return toVoice(row)
    },
  )
  app.put(
    '/v1/voices/:voiceId',
    {
      schema: {
        operationId: 'updateBrandVoice',
        tags,
        summary: 'Replace a brand voice (its version goes up by one)',
        params: VoiceParams,
        body: ref(VoiceInput),
        response: { 200: ref(Voice), 409: problemRef, ...problemResponses },
      },
    },
    async (request) => {
      const row = await updateVoice(ctx.db, request.params.voiceId, request.body, ctx.clock())
        .catch((err: { code?: string }) => {
          if (err.code === '23505') throw errors.conflict(`A brand voice named "${request.body.name}" exists`)
          throw err
        })
        .finally(() => memory.voices.invalidate(request.params.voiceId))
      if (!row) throw errors.notFound('Brand voice', request.params.voiceId)
      return toVoice(row)
    },
  )
  app.delete(
    '/v1/voices/:voiceId',
    {
      schema: {
        operationId: 'deleteBrandVoice',
        tags,
        summary: 'Delete a brand voice (outputs made with it keep its id and version)',
        params: VoiceParams,
        response: { 204: Type.Null({ description: 'Deleted' }), ...problemResponses },
      },
    },
    async (request, reply) => {
      const deleted = await deleteVoice(ctx.db, request.params.voiceId).finally(() => memory.voices.invalidate(request.params.voiceId))
      if (!deleted) throw errors.notFound('Brand voice', request.params.voiceId)
      return reply.code(204).send(null)
    },
  )
}
