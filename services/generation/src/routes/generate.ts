import { problemRef, problemResponses, ref, type ServiceApp } from '@attune/kit'
import type { FlowDeps } from '../flows/deps.ts'
import { findGeneration } from '../flows/find-generation.ts'
import { generateContent } from '../flows/generate-content.ts'
import { generatingResponses } from '../schemas/common.ts'
import { GenerateRequest, Generation, GenerationParams } from '../schemas/generate.ts'

export function generateRoutes(app: ServiceApp, deps: FlowDeps) {
  app.post(
    '/v1/generate',
    {
      config: { rateLimit: { max: deps.settings.rateLimitPerMinute, timeWindow: 60_000 } },
      schema: {
        operationId: 'generateContent',
        tags: ['generate'],
        summary: 'Write a post, caption, reply, notification or ad copy for a user, in n variants',
        description:
          'The prompt comes from a versioned template, the user’s language style and mood (mirrored from profiling and sentiment) and an optional brand voice. ' +
          'Personal data in the brief is redacted before it leaves; inputs over the use’s block threshold are refused (422); banned words never reach an output; ' +
          'flagged outputs, and content meant for publishing, wait in the review queue. `why` says what shaped the output. Provider failures: 502/503. ' +
          'When the user’s erasure was asked for after the request was received and ran while the output was generated, an output for review is a 409 naming `/userId` and is not stored; ' +
          'one returned straight away is answered but never written. The tokens spent count against the key either way.',
        body: GenerateRequest,
        response: { 200: ref(Generation), 409: problemRef, ...generatingResponses },
      },
    },
    async (request) => generateContent(deps, request.apiKey?.name ?? 'anonymous', request.body),
  )
  app.get(
    '/v1/generations/:generationId',
    {
      schema: {
        operationId: 'getGeneration',
        tags: ['generate'],
        summary: 'A generated output, its variants, review status and why',
        params: GenerationParams,
        response: { 200: ref(Generation), ...problemResponses },
      },
    },
    async (request) => findGeneration(deps, request.params.generationId),
  )
}
