import type { Logger } from 'pino'

/** A periodic task of a service (retention purges and the like); runs on every replica, so it must be idempotent. */
export interface JobDefinition {
  name: string
  intervalMs: number
  run(): Promise<unknown>
}

export interface RunningJobs {
  /** Stops the timers and waits for runs in progress. */
  stop(): Promise<void>
}

/**
 * Runs each job once now and then every `intervalMs`; a tick is skipped while the previous run is
 * still going. A failed run is logged and retried at the next tick.
 */
export function startJobs(jobs: JobDefinition[], log: Logger): RunningJobs {
  const inFlight = new Set<Promise<void>>()
  let stopped = false
  const timers = jobs.map((job) => {
    let running = false
    const tick = () => {
      if (running || stopped) return
      running = true
      const p = job
        .run()
        .then(
          (outcome) => log.debug({ job: job.name, outcome }, 'job run'),
          (err: unknown) => log.warn({ err, job: job.name }, 'job failed'),
        )
        .finally(() => {
          running = false
          inFlight.delete(p)
        })
      inFlight.add(p)
    }
    const timer = setInterval(tick, job.intervalMs)
    timer.unref()
    setImmediate(tick)
    return timer
  })
  return {
    async stop() {
      stopped = true
      for (const t of timers) clearInterval(t)
      await Promise.all([...inFlight])
    },
  }
}
