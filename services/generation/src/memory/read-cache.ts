/**
 * Rows read on every request but rarely written (brand voices, review policies), kept in memory.
 * This replica drops an entry when it writes the row; other replicas see the write once their
 * entry is `ttlMs` old. A load that started before an invalidation is not kept, so a write can never
 * be hidden behind a read that raced it.
 */
export class ReadCache<V> {
  private readonly entries = new Map<string, { value: V; loadedAt: number }>()
  private readonly loading = new Map<string, Promise<V>>()
  private generation = 0
  private readonly o: { ttlMs: number; maxEntries: number; now: () => number }

  constructor(o: { ttlMs: number; maxEntries: number; now: () => number }) {
    this.o = o
  }

  get(key: string, load: () => Promise<V>): V | Promise<V> {
    const hit = this.entries.get(key)
    if (hit && this.o.now() - hit.loadedAt < this.o.ttlMs) return hit.value
    const pending = this.loading.get(key)
    if (pending) return pending
    const started = this.generation
    const loadedAt = this.o.now()
    const done = () => {
      if (this.loading.get(key) === p) this.loading.delete(key)
    }
    const p: Promise<V> = load().then(
      (value) => {
        done()
        // A miss is not kept: a row another replica creates is found at once.
        if (started === this.generation && value !== undefined) this.keep(key, value, loadedAt)
        return value
      },
      (err: unknown) => {
        done()
        throw err
      },
    )
    this.loading.set(key, p)
    return p
  }

  /** The row behind `key` changed (or every row, without a key). */
  invalidate(key?: string): void {
    this.generation++
    if (key === undefined) this.entries.clear()
    else this.entries.delete(key)
    // A load in flight may have read the old row; later readers must not join it.
    if (key === undefined) this.loading.clear()
    else this.loading.delete(key)
  }

  private keep(key: string, value: V, loadedAt: number): void {
    this.entries.delete(key)
    this.entries.set(key, { value, loadedAt })
    if (this.entries.size > this.o.maxEntries) this.entries.delete(this.entries.keys().next().value as string)
  }
}
