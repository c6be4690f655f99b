/**
 * OpenAPI generated from the routes' zod schemas, served at /api/docs (UI) and /api/docs/json.
 */
import fp from 'fastify-plugin'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import { jsonSchemaTransform } from 'fastify-type-provider-zod'
import { SESSION_COOKIE } from './auth.js'

/** Registers @fastify/swagger and its UI. Must come before the routes so it sees them. */
export const swaggerPlugin = fp(async (app) => {
  await app.register(swagger, {
    openapi: {
      info: { title: 'MnetiFi API', version: '0.1.0', description: 'Admin control plane for ISPs (issue 5).' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE } } },
      security: [{ session: [] }],
    },
    transform: jsonSchemaTransform,
  })
  await app.register(swaggerUi, { routePrefix: '/api/docs' })
}, { name: 'mnetifi-swagger', fastify: '5.x' })
