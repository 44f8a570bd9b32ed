import { type Csr, csrFromTriplets, transpose } from './csr.ts'
import type { Interaction, ItemContent } from './types.ts'

/**
 * The compact training set: string ids mapped to dense indexes (as Gorse's dataset/dict.go), the
 * user × item matrix and its transpose. Repeated (user, item) pairs are summed (latest time kept),
 * so a like after a view adds up, and a hide after a view can turn the pair negative.
 */
export interface TrainingData {
  userIds: string[]
  itemIds: string[]
  userIndex: Map<string, number>
  itemIndex: Map<string, number>
  /** users × items. */
  byUser: Csr
  /** items × users. */
  byItem: Csr
  /** Content by item index (undefined where none was given). */
  content: (ItemContent | undefined)[]
  /** The latest interaction time (epoch ms), the default "now" for time decay. */
  now: number
}

export interface TrainingDataOptions {
  /** Catalog items: they get an index even without interactions, so content can reach them. */
  items?: Iterable<ItemContent>
}

export function buildTrainingData(interactions: Iterable<Interaction>, opts: TrainingDataOptions = {}): TrainingData {
  const userIds: string[] = []
  const itemIds: string[] = []
  const userIndex = new Map<string, number>()
  const itemIndex = new Map<string, number>()
  const content: (ItemContent | undefined)[] = []
  const itemOf = (id: string): number => {
    let i = itemIndex.get(id)
    if (i === undefined) {
      i = itemIds.length
      itemIndex.set(id, i)
      itemIds.push(id)
      content.push(undefined)
    }
    return i
  }
  for (const item of opts.items ?? []) content[itemOf(item.itemId)] = item

  let cap = 1024
  let r = new Int32Array(cap)
  let c = new Int32Array(cap)
  let v = new Float32Array(cap)
  let t = new Float64Array(cap)
  let n = 0
  let now = 0
  for (const x of interactions) {
    if (!Number.isFinite(x.weight) || x.weight === 0) continue
    if (n === cap) {
      cap *= 2
      r = grow(r, cap)
      c = grow(c, cap)
      v = grow(v, cap)
      t = grow(t, cap)
    }
    let u = userIndex.get(x.userId)
    if (u === undefined) {
      u = userIds.length
      userIndex.set(x.userId, u)
      userIds.push(x.userId)
    }
    r[n] = u
    c[n] = itemOf(x.itemId)
    v[n] = x.weight
    t[n] = x.time
    if (x.time > now) now = x.time
    n++
  }
  const byUser = csrFromTriplets(userIds.length, itemIds.length, r.subarray(0, n), c.subarray(0, n), v.subarray(0, n), t.subarray(0, n))
  return { userIds, itemIds, userIndex, itemIndex, byUser, byItem: transpose(byUser), content, now }
}

function grow<T extends Int32Array | Float32Array | Float64Array>(a: T, cap: number): T {
  const b = new (a.constructor as new (n: number) => T)(cap)
  b.set(a)
  return b
}
