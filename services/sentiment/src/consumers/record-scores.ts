import { randomUUID } from 'node:crypto'
import { enqueueEvents, makeEvent, type OutboxMessage } from '@attune/kit'
import type { Kysely } from 'kysely'
import type { SentimentDb } from '../db.ts'
import { bucketIncrements, type ScoredText } from '../domain/buckets.ts'
import { type SentimentSpikeDetectedData, scoredEvent, scoredType, spikeType } from '../domain/scored-events.ts'
import { detectSpike, type SpikeOptions } from '../domain/spikes.ts'
import { windowRange } from '../domain/windows.ts'
import { alertedSince, insertAlert } from '../store/alerts-store.ts'
import { addBuckets, negativeCounts } from '../store/buckets-store.ts'
import { insertScoredTexts } from '../store/scored-texts-store.ts'

export interface RecordDeps {
  /** Full name of the `attune.sentiment` topic. */
  topic: string
  source: string
  now: Date
  spikes: SpikeOptions & { windowMs: number; baselineMs: number }
}

/** Negative-sentiment spikes on the items and topics a batch touched; each alert is stored and becomes an event. */
async function checkSpikes(trx: Kysely<SentimentDb>, texts: readonly ScoredText[], d: RecordDeps): Promise<OutboxMessage[]> {
  const keys = new Map<string, { dimension: 'item' | 'topic'; key: string }>()
  for (const t of texts) {
    if (t.label !== 'negative') continue
    if (t.itemId) keys.set(`item:${t.itemId}`, { dimension: 'item', key: t.itemId })
    for (const topic of t.topics) keys.set(`topic:${topic}`, { dimension: 'topic', key: topic })
  }
  const out: OutboxMessage[] = []
  const window = windowRange(d.now, d.spikes.windowMs)
  const baselineFrom = new Date(window.from.getTime() - d.spikes.baselineMs)
  for (const { dimension, key } of keys.values()) {
    const current = await negativeCounts(trx, dimension, key, window.from, window.to)
    if (current.negative < d.spikes.minNegative) continue
    if (await alertedSince(trx, dimension, key, new Date(d.now.getTime() - d.spikes.windowMs))) continue
    const baseline = await negativeCounts(trx, dimension, key, baselineFrom, window.from)
    const verdict = detectSpike(current, baseline, d.spikes)
    if (!verdict.spike) continue
    const alert = {
      alertId: randomUUID(),
      dimension,
      key,
      windowStart: window.from,
      windowEnd: window.to,
      negative: current.negative,
      total: current.total,
      negativeShare: verdict.negativeShare,
      baselineShare: verdict.baselineShare,
      detectedAt: d.now,
    }
    await insertAlert(trx, alert)
    const data: SentimentSpikeDetectedData = {
      ...alert,
      windowStart: alert.windowStart.toISOString(),
      windowEnd: alert.windowEnd.toISOString(),
      negativeShare: Number(verdict.negativeShare.toFixed(4)),
      baselineShare: Number(verdict.baselineShare.toFixed(4)),
    }
    out.push({ topic: d.topic, key, event: makeEvent({ type: spikeType.type, source: d.source, subject: key, data }, d.now) })
  }
  return out
}

/**
 * Stores newly scored texts, adds them to the aggregates, publishes `sentiment.scored` for each and
 * `sentiment.spike-detected` for each spike they cause — all in the caller's transaction.
 */
export async function recordScores(trx: Kysely<SentimentDb>, texts: readonly ScoredText[], d: RecordDeps): Promise<void> {
  const fresh = await insertScoredTexts(trx, texts)
  const added = texts.filter((t) => fresh.has(t.textId))
  if (added.length === 0) return
  await addBuckets(trx, bucketIncrements(added))
  const messages: OutboxMessage[] = added.map((t) => {
    const e = scoredEvent(t)
    return {
      topic: d.topic,
      key: e.subject,
      event: makeEvent({ type: scoredType.type, source: d.source, subject: e.subject, data: e.data, time: e.time }, d.now),
    }
  })
  messages.push(...(await checkSpikes(trx, added, d)))
  await enqueueEvents(trx, messages)
}
