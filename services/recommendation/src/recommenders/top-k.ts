import type { Scored } from './types.ts'

/** True when a ranks below b: lower score, or the same score and a higher index. */
function below(itemA: number, scoreA: number, itemB: number, scoreB: number): boolean {
  return scoreA < scoreB || (scoreA === scoreB && itemA > itemB)
}

/**
 * Keeps the n highest (score, item) pairs seen so far in a binary min-heap: O(log n) per push,
 * O(1) to reject an item below the current n-th best. Ties keep the lower item index first.
 */
export class TopK {
  readonly n: number
  readonly items: Int32Array
  readonly scores: Float64Array
  size = 0

  constructor(n: number) {
    this.n = Math.max(0, n)
    this.items = new Int32Array(this.n)
    this.scores = new Float64Array(this.n)
  }

  /** The score an item must beat to enter (−∞ while not full). */
  get threshold(): number {
    return this.size < this.n ? Number.NEGATIVE_INFINITY : (this.scores[0] as number)
  }

  push(item: number, score: number): void {
    if (this.n === 0 || Number.isNaN(score)) return
    if (this.size < this.n) {
      let i = this.size++
      while (i > 0) {
        const parent = (i - 1) >> 1
        if (!this.worse(item, score, parent)) break
        this.items[i] = this.items[parent] as number
        this.scores[i] = this.scores[parent] as number
        i = parent
      }
      this.items[i] = item
      this.scores[i] = score
      return
    }
    if (!below(this.items[0] as number, this.scores[0] as number, item, score)) return
    this.siftDown(item, score)
  }

  /** True when (item, score) ranks below the heap entry at `at`. */
  private worse(item: number, score: number, at: number): boolean {
    return below(item, score, this.items[at] as number, this.scores[at] as number)
  }

  /** Replaces the root (the worst kept entry) and restores the heap. */
  private siftDown(item: number, score: number): void {
    let i = 0
    const size = this.size
    for (;;) {
      let child = 2 * i + 1
      if (child >= size) break
      const right = child + 1
      if (right < size && this.worse(this.items[right] as number, this.scores[right] as number, child)) child = right
      if (!below(this.items[child] as number, this.scores[child] as number, item, score)) break
      this.items[i] = this.items[child] as number
      this.scores[i] = this.scores[child] as number
      i = child
    }
    this.items[i] = item
    this.scores[i] = score
  }

  /** Best first. */
  sorted(): Scored[] {
    const out: Scored[] = []
    for (let i = 0; i < this.size; i++) out.push({ item: this.items[i] as number, score: this.scores[i] as number })
    return out.sort((a, b) => b.score - a.score || a.item - b.item)
  }
}
