/**
 * Settings of the jobs worker process itself (`mnetifi worker`): where it answers health checks. Part of the API's
 * config (api/src/config.ts extends with it), because the worker parses the API's schema.
 */
import { z } from 'zod'

export const WorkerConfigSchema = z.object({
  /**
   * The worker's HTTP port for `/health`, `/ready` and Prometheus `/metrics` (0 picks a free one). Beside radiusd's
   * 9812, clear of the API's 3000. @defaultValue 9813
   */
  WORKER_HEALTH_PORT: z.coerce.number().int().min(0).max(65535).default(9813),
  /** Address that port binds to (loopback: a container's healthcheck runs inside it). @defaultValue '127.0.0.1' */
  WORKER_HEALTH_ADDRESS: z.string().min(1).default('127.0.0.1'),
})

/** The parsed worker process settings. */
export type WorkerProcessConfig = Readonly<z.infer<typeof WorkerConfigSchema>>
