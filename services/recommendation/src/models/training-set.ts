import type { ItemContent } from '../recommenders/types.ts'

/**
 * Interactions in a form that crosses to a worker thread cheaply: ids dictionary-encoded, numbers
 * in typed arrays whose buffers are transferred rather than copied.
 */
export interface EncodedTrainingSet {
  userIds: string[]
  itemIds: string[]
  users: Int32Array
  items: Int32Array
  weights: Float32Array
  times: Float64Array
  content: ItemContent[]
  seed: number
}

/** Builds an `EncodedTrainingSet` page by page, so the reader never holds a million row objects. */
export class TrainingSetBuilder {
  private readonly userIndex = new Map<string, number>()
  private readonly itemIndex = new Map<string, number>()
  private readonly userIds: string[] = []
  private readonly itemIds: string[] = []
  private users = new Int32Array(1024)
  private items = new Int32Array(1024)
  private weights = new Float32Array(1024)
  private times = new Float64Array(1024)
  private n = 0
  readonly content: ItemContent[] = []

  add(userId: string, itemId: string, weight: number, time: number): void {
    if (this.n === this.users.length) this.grow()
    this.users[this.n] = this.indexOf(this.userIndex, this.userIds, userId)
    this.items[this.n] = this.indexOf(this.itemIndex, this.itemIds, itemId)
    this.weights[this.n] = weight
    this.times[this.n] = time
    this.n++
  }

  get size(): number {
    return this.n
  }

  build(seed: number): EncodedTrainingSet {
    return {
      userIds: this.userIds,
      itemIds: this.itemIds,
      users: this.users.slice(0, this.n),
      items: this.items.slice(0, this.n),
      weights: this.weights.slice(0, this.n),
      times: this.times.slice(0, this.n),
      content: this.content,
      seed,
    }
  }

  private indexOf(index: Map<string, number>, ids: string[], id: string): number {
    let i = index.get(id)
    if (i === undefined) {
      i = ids.length
      index.set(id, i)
      ids.push(id)
    }
    return i
  }

  private grow(): void {
    const cap = this.users.length * 2
    const grown = <T extends Int32Array | Float32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap)
      b.set(a)
      return b
    }
    this.users = grown(this.users, (n) => new Int32Array(n))
    this.items = grown(this.items, (n) => new Int32Array(n))
    this.weights = grown(this.weights, (n) => new Float32Array(n))
    this.times = grown(this.times, (n) => new Float64Array(n))
  }
}

/** The interactions of an encoded set, one object at a time (for `buildTrainingData`). */
export function* decodeInteractions(s: EncodedTrainingSet): Generator<{ userId: string; itemId: string; weight: number; time: number }> {
  for (let k = 0; k < s.users.length; k++) {
    yield {
      userId: s.userIds[s.users[k] as number] as string,
      itemId: s.itemIds[s.items[k] as number] as string,
      weight: s.weights[k] as number,
      time: s.times[k] as number,
    }
  }
}
