import { asError } from '../errors.ts'

/** Runs a batch: one result, or an Error for that item alone, per input, in input order. */
export type BatchRunner<I, O> = (inputs: I[]) => Promise<(O | Error)[]>

export interface BatcherOptions<I, O> {
  run: BatchRunner<I, O>
  /** Batches running at once; what arrives meanwhile waits and goes together in the next. */
  maxInFlight: number
  /** Most inputs in one batch. */
  maxBatch: number
}

export interface Batcher<I, O> {
  submit(input: I): Promise<O>
}

interface Waiting<I, O> {
  input: I
  resolve: (value: O) => void
  reject: (err: Error) => void
}

/**
 * Group commit: an input is run at once when fewer than `maxInFlight` batches are running, else it
 * waits and leaves with everything else that arrived meanwhile. Idle, it adds no delay; under load,
 * batches grow by themselves, so per-statement and per-round-trip costs are shared by many callers.
 */
export function createBatcher<I, O>(opts: BatcherOptions<I, O>): Batcher<I, O> {
  const waiting: Waiting<I, O>[] = []
  let inFlight = 0

  const pump = (): void => {
    while (inFlight < opts.maxInFlight && waiting.length > 0) {
      const batch = waiting.splice(0, opts.maxBatch)
      inFlight++
      opts
        .run(batch.map((w) => w.input))
        .then(
          (results) =>
            batch.forEach((w, i) => {
              const r = results[i]
              if (r instanceof Error) w.reject(r)
              else if (i < results.length) w.resolve(r as O)
              else w.reject(new Error('batch runner returned fewer results than inputs'))
            }),
          (err: unknown) => {
            const error = asError(err)
            for (const w of batch) w.reject(error)
          },
        )
        .finally(() => {
          inFlight--
          pump()
        })
    }
  }

  return {
    submit(input) {
      return new Promise<O>((resolve, reject) => {
        waiting.push({ input, resolve, reject })
        pump()
      })
    },
  }
}
