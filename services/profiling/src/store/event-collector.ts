import { Topics } from '@attune/contracts'
import { asError, createBatcher, erasedAfterCollection, erasureLockKey, idsNamedBy, makeEvent, type ServiceContext } from '@attune/kit'
import type { ProfilingDb } from '../db.ts'
import { type CollectedEvent, interactionRecorded, recordedData } from '../domain/collect-events.ts'
import { type GatedEvents, gateByConsent, type WithoutConsent } from '../domain/consent-gate.ts'
import { consentState } from '../domain/consents.ts'
import { identityMergedMessage } from '../domain/identity-merged.ts'
import { subjectIdsOf, withoutSuppressed } from '../domain/suppression.ts'
import { applyInteractionTraits } from './apply-interaction-traits.ts'
import { analyticsConsents } from './consents-store.ts'
import { insertNewEvents, type ReceivedEvent } from './events-store.ts'
import { suppressedIds } from './suppressions-store.ts'

/** One request's validated events. */
export interface CollectInput {
  events: CollectedEvent[]
  receivedAt: Date
}

/**
 * What became of them: the ids refused as suppressed, how consent sorted the rest, the ids not
 * stored because their user was erased while they were in flight, and the ids stored now (the
 * rest were already stored).
 */
export interface CollectOutcome {
  suppressed: string[]
  gated: GatedEvents
  erased: string[]
  stored: Set<string>
}

export interface EventCollector {
  collect(input: CollectInput): Promise<CollectOutcome>
}

type CollectorContext = Pick<ServiceContext<ProfilingDb>, 'db' | 'schema' | 'log' | 'transaction' | 'topic' | 'name'>

/**
 * Stores collected events with their traits and outbox rows, committing the requests that arrive
 * while earlier commits are running in one transaction (group commit). Under load most of a
 * batch's cost is per statement, round trip and commit, not per row: merging the requests at hand
 * divides it among them; idle, a request is committed at once. Each request still gets its own
 * outcome; when a shared transaction fails, its requests are retried one by one so that one cannot
 * fail another.
 */
export function eventCollector(ctx: CollectorContext, withoutConsent: WithoutConsent, opts = { maxInFlight: 2, maxRequestsPerCommit: 16 }): EventCollector {
  const batcher = createBatcher<CollectInput, CollectOutcome>({
    maxInFlight: opts.maxInFlight,
    maxBatch: opts.maxRequestsPerCommit,
    async run(inputs) {
      try {
        return await storeTogether(ctx, withoutConsent, inputs)
      } catch (err) {
        if (inputs.length === 1) throw err
        return Promise.all(inputs.map((input) => storeTogether(ctx, withoutConsent, [input]).then((r) => r[0] as CollectOutcome, asError)))
      }
    },
  })
  return { collect: (input) => batcher.submit(input) }
}

async function storeTogether(ctx: CollectorContext, withoutConsent: WithoutConsent, inputs: readonly CollectInput[]): Promise<CollectOutcome[]> {
  const now = new Date(Math.max(...inputs.map((i) => i.receivedAt.getTime())))
  const userIds = inputs.flatMap((i) => i.events.flatMap((e) => (e.interaction.userId ? [e.interaction.userId] : [])))
  const [suppressedSubjects, consents] = await Promise.all([
    suppressedIds(
      ctx.db,
      inputs.flatMap((i) => i.events.flatMap(subjectIdsOf)),
    ),
    analyticsConsents(ctx.db, userIds, now),
  ])
  // An id sent by two requests of one commit is stored for the first; the second reports it as a duplicate.
  const claimed = new Set<string>()
  const requests = inputs.map(({ events: collected, receivedAt }) => {
    const { allowed: events, suppressed: refused } = withoutSuppressed(collected, suppressedSubjects)
    const gated = gateByConsent(events, (e) => consentState(e.interaction.userId ? consents.get(e.interaction.userId) : undefined, receivedAt), withoutConsent)
    const toStore: ReceivedEvent[] = []
    for (const event of [...gated.kept, ...gated.aggregated]) {
      if (claimed.has(event.interaction.id)) continue
      claimed.add(event.interaction.id)
      toStore.push({ event, receivedAt })
    }
    return { suppressed: refused, gated, toStore }
  })
  const all = requests.flatMap((r) => r.toStore)
  let erased = new Set<string>()
  const fresh = await ctx.transaction(async (trx, emit) => {
    // Under the erasure lock, shared: an erasure that runs meanwhile either deletes these events
    // with the rest of the user, or has committed its tombstones, which drop those received before
    // it (checked here, after the lock, not with the suppressions above).
    const gone = await erasedAfterCollection(
      trx,
      erasureLockKey(ctx.schema),
      all.map((e) => e.receivedAt.getTime()),
      (i) => idsNamedBy((all[i] as ReceivedEvent).event.interaction),
    )
    erased = new Set([...gone].map((i) => (all[i] as ReceivedEvent).event.interaction.id))
    const kept = gone.size === 0 ? all : all.filter((_, i) => !gone.has(i))
    const inserted = await insertNewEvents(trx, kept)
    const stored = kept.filter((e) => inserted.has(e.event.interaction.id))
    const { merges } = await applyInteractionTraits(
      trx,
      ctx.schema,
      stored.map((e) => ({ interaction: e.event.interaction, receivedAt: e.receivedAt })),
      now,
      ctx.log,
    )
    const topic = ctx.topic(Topics.interactions)
    await emit([
      ...stored.map(({ event: e, receivedAt }) => ({
        topic,
        key: e.subject,
        event: makeEvent({ ...interactionRecorded, source: ctx.name, subject: e.subject, data: recordedData(e, receivedAt), time: e.occurredAt }, receivedAt),
      })),
      ...merges.map((m) => identityMergedMessage(ctx.name, ctx.topic, m, now)),
    ])
    return inserted
  })
  return requests.map(({ suppressed, gated, toStore }) => ({
    suppressed,
    gated,
    erased: toStore.flatMap((e) => (erased.has(e.event.interaction.id) ? [e.event.interaction.id] : [])),
    stored: new Set(toStore.flatMap((e) => (fresh.has(e.event.interaction.id) ? [e.event.interaction.id] : []))),
  }))
}
