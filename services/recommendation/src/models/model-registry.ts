import { Worker } from 'node:worker_threads'
import type { ServiceContext } from '@attune/kit'
import type { Kysely } from 'kysely'
import type { RecommendationDb } from '../db.ts'
import { type Engine, type EngineJson, loadEngine } from '../recommenders/engine.ts'
import { trainingInteractions } from '../store/interactions-store.ts'
import { catalogForContent } from '../store/items-store.ts'
import type { TrainReply } from './train-worker.ts'
import { TrainingSetBuilder } from './training-set.ts'

/** What filters and explanations need to know about an item, kept in memory with the model. */
export interface CatalogEntry {
  type: string
  title: string | null
  categories: string[]
  tags: string[]
  author: string | null
  language: string | null
  /** Epoch ms, or null when the item has no publication time. */
  publishedAt: number | null
  /** Epoch ms after which the item is not recommended, or null. */
  expiresAt: number | null
}

/** An item as a slate shows it. */
export interface ItemView {
  type: string
  title: string | null
  categories: string[]
  author: string | null
  language: string | null
  publishedAt: string | null
}

export interface ModelStatus {
  state: 'untrained' | 'training' | 'ready'
  trainedAt: string | null
  users: number
  items: number
  interactions: number
  /** Time spent fitting in the worker, and the whole run (reading included). */
  fitMs: number
  totalMs: number
  lastError: string | null
}

/**
 * The trained model this replica serves and the catalog snapshot it was trained with. Training
 * reads the interaction state and the catalog page by page, fits in a worker thread and swaps the
 * new engine in; requests keep using the previous one meanwhile. One training at a time.
 */
export class ModelRegistry {
  engine: Engine | undefined
  catalog = new Map<string, CatalogEntry>()
  /** Items of the catalog snapshot by author, newest first (for feeds). */
  byAuthor = new Map<string, string[]>()
  /** Items removed, hidden or expired since the snapshot was read (epoch ms of the change), by catalog writes and `attune.items`. */
  private readonly withdrawn = new Map<string, number>()
  private views = new Map<string, ItemView>()
  private catalogChanges = 0
  private status: ModelStatus = { state: 'untrained', trainedAt: null, users: 0, items: 0, interactions: 0, fitMs: 0, totalMs: 0, lastError: null }
  private running: Promise<ModelStatus> | undefined
  private worker: Worker | undefined
  private closed = false

  /** A catalog change seen after the snapshot: a removed, hidden or expired item stops being recommended at once. */
  itemChanged(itemId: string, live: boolean, at = Date.now()): void {
    this.catalogChanges++
    if (live) this.withdrawn.delete(itemId)
    else this.withdrawn.set(itemId, at)
  }

  /** Changes on every withdrawal, restoration or new snapshot: what was live stays live until it changes or an item expires. */
  get catalogVersion(): number {
    return this.catalogChanges
  }

  /** When the item stops being live by itself (epoch ms), or Infinity. */
  expiresAt(itemId: string): number {
    return this.catalog.get(itemId)?.expiresAt ?? Number.POSITIVE_INFINITY
  }

  /** The snapshot has the item and nothing withdrew it since; it has not expired. */
  isLive(itemId: string, now: number): boolean {
    const e = this.catalog.get(itemId)
    if (!e || this.withdrawn.has(itemId)) return false
    return e.expiresAt === null || e.expiresAt > now
  }

  /** What a slate shows of an item, built once per snapshot. */
  itemView(itemId: string): ItemView {
    let v = this.views.get(itemId)
    if (!v) {
      const e = this.catalog.get(itemId)
      v = {
        type: e?.type ?? 'article',
        title: e?.title ?? null,
        categories: e?.categories ?? [],
        author: e?.author ?? null,
        language: e?.language ?? null,
        publishedAt: e?.publishedAt ? new Date(e.publishedAt).toISOString() : null,
      }
      if (e) this.views.set(itemId, v)
    }
    return v
  }

  /** When the served model was trained (ISO), or null before the first training. */
  get trainedAt(): string | null {
    return this.status.trainedAt
  }

  current(): ModelStatus {
    return { ...this.status, state: this.running ? 'training' : this.status.state }
  }

  train(db: Kysely<RecommendationDb>, now: Date, seed = 42): Promise<ModelStatus> {
    this.running ??= this.run(db, now, seed).finally(() => {
      this.running = undefined
    })
    return this.running
  }

  private async run(db: Kysely<RecommendationDb>, now: Date, seed: number): Promise<ModelStatus> {
    const started = performance.now()
    const readStarted = Date.now()
    try {
      const builder = new TrainingSetBuilder()
      const catalog = new Map<string, CatalogEntry>()
      for await (const page of catalogForContent(db, { now })) {
        for (const c of page) {
          const publishedAt = c.publishedAt?.getTime() ?? null
          catalog.set(c.itemId, {
            type: c.type,
            title: c.title,
            categories: c.categories,
            tags: c.tags,
            author: c.author,
            language: c.language,
            publishedAt,
            expiresAt: c.expiresAt?.getTime() ?? null,
          })
          builder.content.push({
            itemId: c.itemId,
            ...(c.title ? { title: c.title } : {}),
            ...(c.text ? { text: c.text } : {}),
            tags: c.tags,
            categories: c.categories,
            ...(c.author ? { author: c.author } : {}),
            ...(c.language ? { language: c.language } : {}),
            ...(publishedAt !== null ? { publishedAt } : {}),
          })
        }
      }
      // Only items still in the catalog are learned from: a removed item must not come back.
      for await (const page of trainingInteractions(db)) {
        for (const r of page) if (catalog.has(r.itemId)) builder.add(r.userId, r.itemId, r.weight, r.time.getTime())
      }
      this.catalog = catalog
      this.catalogChanges++
      this.views = new Map()
      this.byAuthor = indexByAuthor(catalog)
      // The new snapshot reflects changes made before it was read; later ones still apply.
      for (const [id, at] of this.withdrawn) if (at < readStarted) this.withdrawn.delete(id)
      if (builder.size === 0) {
        this.status = { ...this.status, items: catalog.size, totalMs: Math.round(performance.now() - started), lastError: null }
        return { ...this.status }
      }
      const reply = await this.fitInWorker(builder, seed)
      this.engine = loadEngine(JSON.parse(reply.engine) as EngineJson)
      this.status = {
        state: 'ready',
        trainedAt: now.toISOString(),
        users: reply.users,
        items: reply.items,
        interactions: reply.interactions,
        fitMs: reply.fitMs,
        totalMs: Math.round(performance.now() - started),
        lastError: null,
      }
      return { ...this.status }
    } catch (err) {
      this.status = { ...this.status, lastError: err instanceof Error ? err.message : String(err) }
      throw err
    }
  }

  private fitInWorker(builder: TrainingSetBuilder, seed: number): Promise<TrainReply> {
    if (this.closed) return Promise.reject(new Error('model registry closed'))
    const set = builder.build(seed)
    const worker = new Worker(new URL('./train-worker.ts', import.meta.url))
    this.worker = worker
    return new Promise<TrainReply>((resolve, reject) => {
      worker.once('message', (reply: TrainReply) => resolve(reply))
      worker.once('error', reject)
      worker.once('exit', (code) => reject(new Error(`training worker exited with ${code}`)))
      worker.postMessage(set, [set.users.buffer, set.items.buffer, set.weights.buffer, set.times.buffer] as ArrayBuffer[])
    }).finally(() => {
      this.worker = undefined
      void worker.terminate()
    })
  }

  /** Stops a training in progress (at shutdown). */
  async close(): Promise<void> {
    this.closed = true
    await this.worker?.terminate()
  }
}

function indexByAuthor(catalog: Map<string, CatalogEntry>): Map<string, string[]> {
  const out = new Map<string, string[]>()
  for (const [id, c] of catalog) {
    if (!c.author) continue
    const list = out.get(c.author) ?? []
    if (list.length === 0) out.set(c.author, list)
    list.push(id)
  }
  for (const list of out.values()) list.sort((a, b) => (catalog.get(b)?.publishedAt ?? 0) - (catalog.get(a)?.publishedAt ?? 0))
  return out
}

const registries = new WeakMap<object, ModelRegistry>()

/** The registry of one service instance (routes and jobs get the same context object). */
export function modelRegistryFor(ctx: ServiceContext<RecommendationDb>): ModelRegistry {
  let r = registries.get(ctx)
  if (!r) {
    r = new ModelRegistry()
    registries.set(ctx, r)
  }
  return r
}
