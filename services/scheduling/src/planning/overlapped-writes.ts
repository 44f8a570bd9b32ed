import { setImmediate as nextTurn } from 'node:timers/promises'

/**
 * Writes each chunk as the iterable makes it, and makes the next chunk while the previous one is
 * being written: the planner's work (CPU here) overlaps the insert (CPU in Postgres). One write in
 * flight, in order; the first failure stops the loop and is thrown.
 */
export async function writeOverlapped<T>(chunks: Iterable<T>, write: (chunk: T) => Promise<void>): Promise<void> {
  let inFlight: Promise<void> | undefined
  for (const chunk of chunks) {
    await inFlight
    inFlight = write(chunk)
    // If making the next chunk throws, this write is never awaited: keep its failure handled.
    inFlight.catch(() => undefined)
    // The driver sends the statement a few promise hops later: let it go out before the next chunk is made.
    await nextTurn()
  }
  await inFlight
}
