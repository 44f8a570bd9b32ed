import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'

export interface DocsInfo {
  name: string
  description: string
  version: string
  tags: { name: string; description: string }[]
}

/** OpenAPI 3.1 from the route schemas; Swagger UI at /docs when enabled. */
export async function registerDocs(app: FastifyInstance, info: DocsInfo, ui: boolean) {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: `Attune ${info.name} API`, description: info.description, version: info.version, license: { name: 'Apache-2.0' } },
      tags: [...info.tags, { name: 'health', description: 'Liveness, readiness and metrics' }],
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'Attune API key: atn_pk_… (public) or atn_sk_… (secret)' },
        },
      },
      security: [{ apiKey: [] }],
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
  })
  if (ui) await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list', deepLinking: true } })
}
