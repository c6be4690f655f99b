/**
 * Natural batching: items submitted while every lane is busy wait and leave together as one batch in one
 * statement (one round trip, one commit) as soon as a lane frees up. Nothing waits on a timer, so a lone
 * request goes out at once; under load, round trips and commits are shared.
 */

export interface BatcherOptions<I, O> {
  /** Batches in flight at once (≈ database connections used). */
  readonly lanes: number
  /** Largest batch. */
  readonly maxBatch: number
  /** Runs one batch; must return one output per input, in order. */
  readonly run: (items: I[]) => Promise<O[]>
}

export interface Batcher<I, O> {
  submit(item: I): Promise<O>
  /** Items waiting for a lane (a saturation gauge). */
  readonly queued: number
}

/** Creates a batcher; a failed batch rejects each of its items with the same error. */
export function createBatcher<I, O>(options: BatcherOptions<I, O>): Batcher<I, O> {
  const queue: { item: I; resolve: (o: O) => void; reject: (e: unknown) => void }[] = []
  let inFlight = 0

  function pump(): void {
    while (inFlight < options.lanes && queue.length > 0) {
      const batch = queue.splice(0, options.maxBatch)
      inFlight++
      options.run(batch.map((b) => b.item)).then(
        (outputs) => {
          batch.forEach((b, i) => (i < outputs.length ? b.resolve(outputs[i]!) : b.reject(new Error('batch returned too few results'))))
        },
        (err: unknown) => batch.forEach((b) => b.reject(err)),
      ).finally(() => {
        inFlight--
        pump()
      })
    }
  }

  return {
    submit(item) {
      return new Promise<O>((resolve, reject) => {
        queue.push({ item, resolve, reject })
        pump()
      })
    },
    get queued() {
      return queue.length
    },
  }
}
