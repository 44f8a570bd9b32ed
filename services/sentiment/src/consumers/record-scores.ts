import { randomUUID } from 'node:crypto'
import { enqueueEvents, makeEvent, type OutboxMessage } from '@attune/kit'
import type { Kysely } from 'kysely'
import type { SentimentDb } from '../db.ts'
import { bucketDeltas, bucketIncrements, type ScoredText } from '../domain/buckets.ts'
import { type SentimentSpikeDetectedData, scoredEvent, scoredType, spikeType } from '../domain/scored-events.ts'
import { detectSpike, type SpikeOptions } from '../domain/spikes.ts'
import { windowRange } from '../domain/windows.ts'
import { alertedSince, insertAlert } from '../store/alerts-store.ts'
import { addBuckets, negativeCounts } from '../store/buckets-store.ts'
import { deleteScoredTexts, insertScoredTexts, scoredTextsForUpdate, updateScoredTexts } from '../store/scored-texts-store.ts'

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
    if (!(await insertAlert(trx, alert))) continue
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
  const messages = added.map((t) => scoredMessage(t, d))
  messages.push(...(await checkSpikes(trx, added, d)))
  await enqueueEvents(trx, messages)
}

function scoredMessage(t: ScoredText, d: RecordDeps): OutboxMessage {
  const e = scoredEvent(t)
  return {
    topic: d.topic,
    key: e.subject,
    event: makeEvent({ type: scoredType.type, source: d.source, subject: e.subject, data: e.data, time: e.time }, d.now),
  }
}

function sameScore(a: ScoredText, b: ScoredText): boolean {
  return (
    a.label === b.label &&
    a.compound === b.compound &&
    a.emotion === b.emotion &&
    a.userId === b.userId &&
    a.itemId === b.itemId &&
    a.authorId === b.authorId &&
    a.at.getTime() === b.at.getTime() &&
    a.topics.join('\u0000') === b.topics.join('\u0000')
  )
}

/**
 * Rescores edited texts (posts): a stored score counts out of the buckets as stored and back in as
 * rescored, and a changed score is published again as `sentiment.scored`. A text never scored
 * before is recorded as new (`recordScores`); one that no longer scores (emptied, or now in another
 * language) leaves the aggregates. No spike check: an edit is one text, not a rise.
 */
export async function rescoreTexts(
  trx: Kysely<SentimentDb>,
  edits: readonly { textId: string; scored: ScoredText | undefined }[],
  d: RecordDeps,
): Promise<void> {
  const stored = new Map(
    (
      await scoredTextsForUpdate(
        trx,
        edits.map((e) => e.textId),
      )
    ).map((r) => [r.textId, r]),
  )
  const fresh: ScoredText[] = []
  const removed: ScoredText[] = []
  const changed: ScoredText[] = []
  const gone: string[] = []
  for (const { textId, scored } of edits) {
    const old = stored.get(textId)
    if (!old) {
      if (scored) fresh.push(scored)
    } else if (!scored) {
      removed.push(old)
      gone.push(textId)
    } else if (!sameScore(old, scored)) {
      removed.push(old)
      changed.push(scored)
    }
  }
  await addBuckets(trx, bucketDeltas(removed, changed))
  await updateScoredTexts(trx, changed)
  await deleteScoredTexts(trx, gone)
  await enqueueEvents(
    trx,
    changed.map((t) => scoredMessage(t, d)),
  )
  await recordScores(trx, fresh, d)
}
