/**
 * Schemas every route shares: the error body, pagination, ids.
 */
import { z } from 'zod'

/** Error answer: `{ error, message, details? }` (see plugins/error-handler.ts). */
export const ErrorBodySchema = z.object({
  error: z.string().describe('Stable code, e.g. VALIDATION_FAILED, NOT_FOUND'),
  message: z.string(),
  details: z.unknown().optional().describe('Field paths for validation errors'),
})

/** The error statuses a typical authenticated route can answer (500: a bug, answered with a generic message). */
export const ERROR_RESPONSES = Object.freeze({
  400: ErrorBodySchema, 401: ErrorBodySchema, 403: ErrorBodySchema, 404: ErrorBodySchema, 409: ErrorBodySchema, 500: ErrorBodySchema,
})

/** `:id` path parameter. */
export const IdParamsSchema = z.object({ id: z.uuid() })
export type IdParams = z.infer<typeof IdParamsSchema>

/** `?limit=&offset=` with sane bounds. */
export const PaginationQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
})

/** A page of items with the total count matching the filters. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), total: z.number().int(), limit: z.number().int(), offset: z.number().int() })
}

/** ISO-8601 timestamp (UTC) in responses. */
export const IsoDateTime = z.iso.datetime({ offset: true })

/** Date | null → ISO string | null, for row mappers. */
export function iso(date: Date | null): string | null {
  return date === null ? null : date.toISOString()
}

/** Empty 204-style acknowledgement. */
export const OkSchema = z.object({ ok: z.literal(true) })
