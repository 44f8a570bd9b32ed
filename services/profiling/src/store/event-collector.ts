import { Topics } from '@attune/contracts'
import { asError, createBatcher, erasedAfterCollection, erasureLockKey, makeEvent, type ServiceContext } from '@attune/kit'
import type { ProfilingDb } from '../db.ts'
import { type CollectedEvent, interactionRecorded, recordedData } from '../domain/collect-events.ts'
import { type GatedEvents, gateByConsent, type WithoutConsent } from '../domain/consent-gate.ts'
import { consentState } from '../domain/consents.ts'
import { identityMergedMessage } from '../domain/identity-merged.ts'
import { subjectIdsOf, withoutSuppressed } from '../domain/suppression.ts'
import { applyInteractionTraits } from './apply-interaction-traits.ts'
import { analyticsConsents } from './consents-store.ts'
import { insertNewEvents, type ReceivedEvent } from './events-store.ts'
import { membershipMessages } from './segment-membership-store.ts'
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
  const requests = inputs.map(({ events: collected, receivedAt }) => {
    const { allowed: events, suppressed: refused } = withoutSuppressed(collected, suppressedSubjects)
    const gated = gateByConsent(events, (e) => consentState(e.interaction.userId ? consents.get(e.interaction.userId) : undefined, receivedAt), withoutConsent)
    const candidates: ReceivedEvent[] = [...gated.kept, ...gated.aggregated].map((event) => ({ event, receivedAt }))
    return { suppressed: refused, gated, candidates, erased: [] as string[], toStore: [] as ReceivedEvent[] }
  })
  const candidates = requests.flatMap((r) => r.candidates)
  const fresh = await ctx.transaction(async (trx, emit) => {
    // Under the erasure lock, shared: an erasure that runs meanwhile either deletes these events
    // with the rest of the user, or has committed its tombstones, which drop those received before
    // it (checked here, after the lock, not with the suppressions above). The ids are those the
    // erasure deletes events by: a follow of an erased user stays its follower's data here.
    const gone = await erasedAfterCollection(
      trx,
      erasureLockKey(ctx.schema),
      candidates.map((e) => e.receivedAt.getTime()),
      (i) => subjectIdsOf((candidates[i] as ReceivedEvent).event),
    )
    // An id sent by two requests of one commit is stored for the first that may store it; the others report it as a duplicate.
    const claimed = new Set<string>()
    let i = 0
    for (const r of requests) {
      for (const e of r.candidates) {
        const id = e.event.interaction.id
        if (gone.has(i++)) r.erased.push(id)
        else if (!claimed.has(id)) {
          claimed.add(id)
          r.toStore.push(e)
        }
      }
    }
    const kept = requests.flatMap((r) => r.toStore)
    const inserted = await insertNewEvents(trx, kept)
    const stored = kept.filter((e) => inserted.has(e.event.interaction.id))
    const { merges, membershipsEnded } = await applyInteractionTraits(
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
      ...membershipMessages(membershipsEnded, { topic: ctx.topic(Topics.profiles), source: ctx.name, now }),
    ])
    return inserted
  })
  return requests.map(({ suppressed, gated, erased, toStore }) => ({
    suppressed,
    gated,
    erased,
    stored: new Set(toStore.flatMap((e) => (fresh.has(e.event.interaction.id) ? [e.event.interaction.id] : []))),
  }))
}
