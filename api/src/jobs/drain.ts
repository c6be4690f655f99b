/**
 * Draining a BullMQ worker on shutdown. `worker.close()` waits for the jobs it runs, which is what we want, but in
 * BullMQ 6 it can also wait forever on its blocking connection when that one is parked in ioredis' `reconnecting`
 * state (after a Redis restart: BullMQ issue #4656). So each processor is wrapped to count the jobs in flight, and
 * once none runs and BullMQ has had `settleMs` to record the last result, closing stops waiting for it.
 */
import type { Worker } from 'bullmq'
import type { Logger } from '@mnetifi/db'

/** A processor that counts its running jobs. */
export interface TrackedJobs<A extends unknown[], R> {
  readonly run: (...args: A) => Promise<R>
  /** Jobs running now. */
  inFlight(): number
  /** Resolves when no job runs. */
  idle(): Promise<void>
}

/** Wraps `processor` so the jobs it is running can be counted and waited for. */
export function trackJobs<A extends unknown[], R>(processor: (...args: A) => Promise<R>): TrackedJobs<A, R> {
  let running = 0
  const waiters: (() => void)[] = []
  return {
    async run(...args) {
      running++
      try {
        return await processor(...args)
      } finally {
        if (--running === 0) for (const wake of waiters.splice(0)) wake()
      }
    },
    inFlight: () => running,
    idle: () => (running === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve))),
  }
}

/**
 * Closes `worker` gracefully: no new jobs, the running ones finish and are marked completed or failed. Resolves
 * `closed` when BullMQ's close does, or `abandoned` when no job has run for `settleMs` and it still has not.
 */
export async function drainWorker(worker: Worker, jobs: Pick<TrackedJobs<never, unknown>, 'idle'>, log: Logger, settleMs = 2000): Promise<'closed' | 'abandoned'> {
  let timer: NodeJS.Timeout | undefined
  const closing = worker.close().then(() => 'closed' as const)
  const settled = jobs.idle().then(() => new Promise<'abandoned'>((resolve) => { timer = setTimeout(() => resolve('abandoned'), settleMs) }))
  const outcome = await Promise.race([closing, settled])
  clearTimeout(timer)
  if (outcome === 'abandoned') log.warn({ queue: worker.name }, 'no job running, but BullMQ did not close its worker: not waiting for it')
  return outcome
}
