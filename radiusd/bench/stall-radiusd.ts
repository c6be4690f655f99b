/**
 * run-radiusd.ts plus a GC log for stall attribution (bench/stalls.ts): every garbage collection is printed
 * as `gc <kind> <wall-clock start ms> <duration ms>` (PerformanceObserver; wall clock = timeOrigin + startTime).
 */
import { PerformanceObserver, constants, performance, type PerformanceEntry } from 'node:perf_hooks'

const kinds: Record<number, string> = { [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor', [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental', [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb' }
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    const kind = kinds[(e as PerformanceEntry & { detail: { kind: number } }).detail.kind] ?? 'other'
    process.stdout.write(`gc ${kind} ${(performance.timeOrigin + e.startTime).toFixed(3)} ${e.duration.toFixed(3)}\n`)
  }
}).observe({ entryTypes: ['gc'] })
await import('./run-radiusd.js')
