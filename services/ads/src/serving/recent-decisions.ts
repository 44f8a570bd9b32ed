/**
 * The last `max` to `2·max` decisions of this replica by id, in two generations: when the current
 * one holds `max`, it becomes the previous one and the previous one is dropped whole, so adding
 * is O(1) without deleting entries one by one. Several ids may share one value (a request's).
 */
export class RecentDecisions<T extends { userId: string | null }> {
  private current = new Map<string, T>()
  private previous = new Map<string, T>()
  private readonly max: number

  constructor(max: number) {
    this.max = Math.max(1, max)
  }

  add(decisionId: string, value: T): void {
    if (this.current.size >= this.max) {
      this.previous = this.current
      this.current = new Map()
    }
    this.current.set(decisionId, value)
  }

  get(decisionId: string): T | undefined {
    return this.current.get(decisionId) ?? this.previous.get(decisionId)
  }

  forget(userId: string): void {
    for (const m of [this.current, this.previous]) for (const [id, d] of m) if (d.userId === userId) m.delete(id)
  }
}
