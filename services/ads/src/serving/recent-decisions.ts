import type { LoggedDecision } from '../store/decisions-store.ts'

/**
 * The last `max` to `2·max` decisions of this replica by id, in two generations: when the current
 * one holds `max`, it becomes the previous one and the previous one is dropped whole, so adding
 * is O(1) without deleting entries one by one.
 */
export class RecentDecisions {
  private current = new Map<string, LoggedDecision>()
  private previous = new Map<string, LoggedDecision>()
  private readonly max: number

  constructor(max: number) {
    this.max = Math.max(1, max)
  }

  add(d: LoggedDecision): void {
    if (this.current.size >= this.max) {
      this.previous = this.current
      this.current = new Map()
    }
    this.current.set(d.decisionId, d)
  }

  get(decisionId: string): LoggedDecision | undefined {
    return this.current.get(decisionId) ?? this.previous.get(decisionId)
  }

  forget(userId: string): void {
    for (const m of [this.current, this.previous]) for (const [id, d] of m) if (d.userId === userId) m.delete(id)
  }
}
