import { seededRandom } from '@attune/kit'
import { decodeFloat32, decodeInt32, encodeArray, numberField } from './codec.ts'
import { decay } from './history.ts'
import { accumulateNeighbours, type Neighbours, neighbourScratch, neighboursOf, sparseScoring } from './scoring.ts'
import { tokenize } from './tokenize.ts'
import { TopK } from './top-k.ts'
import type { TrainingData } from './training-data.ts'
import type { History, ItemContent, ModelJson, Recommender, Scoring } from './types.ts'

export interface ContentOptions {
  /** Neighbours kept per item. */
  neighbours: number
  /** Terms kept per item (its highest BM25 weights), which bounds the similarity join. */
  termsPerItem: number
  /** Terms found in more than this share of items are dropped (they say little and cost df² to join). */
  maxDocumentFrequency: number
  /**
   * The similarity join walks at most this many postings of a term — a window of them, shuffled
   * once, that starts at a different place for each item — with contributions scaled by
   * df / window (an unbiased estimate of the cosine). A term shared by thousands of items no longer
   * costs thousands of steps for each of them, and neighbours still spread over the whole catalog.
   */
  maxPostingsPerTerm: number
  /** BM25 term-frequency saturation and length normalisation. */
  k1: number
  b: number
  /** Field weights: how many times a field's tokens count. */
  fieldWeights: { title: number; text: number; tags: number; author: number }
  /** Half-life of a history item's affinity in ms; Infinity disables decay. */
  halfLifeMs: number
}

export const defaultContentOptions: ContentOptions = {
  neighbours: 50,
  termsPerItem: 32,
  maxDocumentFrequency: 0.1,
  maxPostingsPerTerm: 256,
  k1: 1.2,
  b: 0.75,
  fieldWeights: { title: 2, text: 1, tags: 3, author: 2 },
  halfLifeMs: 30 * 86_400_000,
}

export interface ContentModel extends Recommender {
  readonly kind: 'content'
  readonly neighbours: Neighbours
}

/** Weighted term counts of one item: title, text, tags and categories (whole, as `#tag`, and their words), author (as `@name`). */
export function itemTerms(c: ItemContent, w: ContentOptions['fieldWeights']): Map<string, number> {
  const tf = new Map<string, number>()
  const add = (t: string, n: number) => tf.set(t, (tf.get(t) ?? 0) + n)
  for (const t of tokenize(c.title ?? '')) add(t, w.title)
  for (const t of tokenize(c.text ?? '')) add(t, w.text)
  for (const tag of [...(c.tags ?? []), ...(c.categories ?? [])]) {
    add(`#${tag.toLowerCase()}`, w.tags)
    for (const t of tokenize(tag)) add(t, w.text)
  }
  if (c.author) add(`@${c.author.toLowerCase()}`, w.author)
  return tf
}

/**
 * Content similarity: items as BM25-weighted term vectors (Robertson & Zaragoza 2009:
 * idf = ln(1 + (N − df + 0.5)/(df + 0.5)), tf' = tf·(k1+1)/(tf + k1·(1 − b + b·len/avglen))),
 * L2-normalised, cosine over an inverted index, top-N neighbours per item. Items with content but
 * no interactions get neighbours too, so they are reachable from any history (cold-start items).
 */
export function fitContent(data: TrainingData, options: Partial<ContentOptions> = {}): ContentModel {
  const o = { ...defaultContentOptions, ...options }
  const n = data.itemIds.length
  const docs: Map<string, number>[] = []
  const df = new Map<string, number>()
  let totalLength = 0
  let withContent = 0
  for (let i = 0; i < n; i++) {
    const c = data.content[i]
    const tf = c ? itemTerms(c, o.fieldWeights) : new Map<string, number>()
    docs.push(tf)
    if (tf.size > 0) withContent++
    for (const [t, f] of tf) {
      df.set(t, (df.get(t) ?? 0) + 1)
      totalLength += f
    }
  }
  const avgLength = withContent > 0 ? totalLength / withContent : 1
  const maxDf = Math.max(2, Math.floor(o.maxDocumentFrequency * withContent))
  const termId = new Map<string, number>()
  const itemTermsPtr = new Int32Array(n + 1)
  const termList: number[] = []
  const weightList: number[] = []
  for (let i = 0; i < n; i++) {
    const tf = docs[i] as Map<string, number>
    let length = 0
    for (const f of tf.values()) length += f
    const heap = new TopK(o.termsPerItem)
    const terms: string[] = []
    for (const [t, f] of tf) {
      const d = df.get(t) ?? 0
      if (d < 2 || d > maxDf) continue
      const idf = Math.log(1 + (withContent - d + 0.5) / (d + 0.5))
      const w = (idf * (f * (o.k1 + 1))) / (f + o.k1 * (1 - o.b + (o.b * length) / avgLength))
      heap.push(terms.length, w)
      terms.push(t)
    }
    const kept = heap.sorted()
    let norm = 0
    for (const k of kept) norm += k.score * k.score
    norm = Math.sqrt(norm) || 1
    for (const k of kept) {
      const t = terms[k.item] as string
      let id = termId.get(t)
      if (id === undefined) {
        id = termId.size
        termId.set(t, id)
      }
      termList.push(id)
      weightList.push(k.score / norm)
    }
    itemTermsPtr[i + 1] = termList.length
    docs[i] = new Map()
  }
  // Inverted index: term → (item, weight).
  const nTerms = termId.size
  const postingsPtr = new Int32Array(nTerms + 1)
  for (const t of termList) postingsPtr[t + 1] = (postingsPtr[t + 1] as number) + 1
  for (let t = 0; t < nTerms; t++) postingsPtr[t + 1] = (postingsPtr[t + 1] as number) + (postingsPtr[t] as number)
  const fill = postingsPtr.slice(0, nTerms)
  const postingItems = new Int32Array(termList.length)
  const postingWeights = new Float32Array(termList.length)
  for (let i = 0; i < n; i++) {
    for (let p = itemTermsPtr[i] as number; p < (itemTermsPtr[i + 1] as number); p++) {
      const t = termList[p] as number
      const at = fill[t] as number
      postingItems[at] = i
      postingWeights[at] = weightList[p] as number
      fill[t] = at + 1
    }
  }
  // Terms with more postings than the join walks get theirs in a seeded random order, and a scale.
  const random = seededRandom(7)
  const termScale = new Float64Array(nTerms).fill(1)
  for (let t = 0; t < nTerms; t++) {
    const start = postingsPtr[t] as number
    const end = postingsPtr[t + 1] as number
    if (end - start <= o.maxPostingsPerTerm) continue
    for (let k = end - 1; k > start; k--) {
      const r = start + Math.floor(random() * (k - start + 1))
      const item = postingItems[k] as number
      postingItems[k] = postingItems[r] as number
      postingItems[r] = item
      const w = postingWeights[k] as number
      postingWeights[k] = postingWeights[r] as number
      postingWeights[r] = w
    }
    termScale[t] = (end - start) / o.maxPostingsPerTerm
  }
  const acc = new Float64Array(n)
  const touched = new Int32Array(n)
  const indptr = new Int32Array(n + 1)
  const indices: number[] = []
  const weights: number[] = []
  for (let i = 0; i < n; i++) {
    let nTouched = 0
    for (let p = itemTermsPtr[i] as number; p < (itemTermsPtr[i + 1] as number); p++) {
      const t = termList[p] as number
      const w = (weightList[p] as number) * (termScale[t] as number)
      const start = postingsPtr[t] as number
      const length = (postingsPtr[t + 1] as number) - start
      // Each item walks its own window of the shuffled postings, so together they reach them all.
      const walk = Math.min(length, o.maxPostingsPerTerm)
      const offset = walk < length ? Math.imul(i, 2654435761) >>> 0 : 0
      for (let k = 0; k < walk; k++) {
        const q = start + ((offset + k) % length)
        const j = postingItems[q] as number
        if (acc[j] === 0) touched[nTouched++] = j
        acc[j] = (acc[j] as number) + w * (postingWeights[q] as number)
      }
    }
    const heap = new TopK(o.neighbours)
    for (let k = 0; k < nTouched; k++) {
      const j = touched[k] as number
      if (j !== i) heap.push(j, acc[j] as number)
      acc[j] = 0
    }
    for (const x of heap.sorted()) {
      indices.push(x.item)
      weights.push(x.score)
    }
    indptr[i + 1] = indices.length
  }
  return contentModel(o, { indptr, indices: Int32Array.from(indices), weights: Float32Array.from(weights) })
}

function contentModel(options: ContentOptions, neighbours: Neighbours): ContentModel {
  const itemCount = neighbours.indptr.length - 1
  const slot = neighbourScratch(itemCount)
  return {
    kind: 'content',
    itemCount,
    neighbours,
    prepare(history: History, now?: number): Scoring {
      const t = now ?? Math.max(0, ...history.times)
      const affinity = new Float64Array(history.items.length)
      for (let h = 0; h < affinity.length; h++) affinity[h] = (history.weights[h] as number) * decay(t - (history.times[h] as number), options.halfLifeMs)
      return sparseScoring(accumulateNeighbours(neighbours, history.items, affinity, slot))
    },
    similar: (item, k) => neighboursOf(neighbours, item, k),
    toJSON: (): ModelJson => ({
      kind: 'content',
      version: 1,
      halfLifeMs: Number.isFinite(options.halfLifeMs) ? options.halfLifeMs : null,
      neighbourCount: options.neighbours,
      indptr: encodeArray(neighbours.indptr),
      indices: encodeArray(neighbours.indices),
      weights: encodeArray(neighbours.weights),
    }),
  }
}

export function loadContent(json: ModelJson): ContentModel {
  if (json.version !== 1) throw new RangeError(`unsupported content model version ${json.version}`)
  const halfLifeMs = typeof json.halfLifeMs === 'number' ? json.halfLifeMs : Number.POSITIVE_INFINITY
  const options = { ...defaultContentOptions, halfLifeMs, neighbours: numberField(json, 'neighbourCount') }
  return contentModel(options, { indptr: decodeInt32(json.indptr), indices: decodeInt32(json.indices), weights: decodeFloat32(json.weights) })
}
