import type { Interaction } from '@attune/contracts'
import t from 'tap'
import { collectEvents, interactionRecorded, MAX_CLOCK_SKEW_MS, recordedData } from '../../src/domain/collect-events.ts'

const receivedAt = new Date('2026-11-25T10:00:00.000Z')
const ID1 = '0192f0a4-7c1e-7bb2-9a51-2f0c7c2f6a10'
const ID2 = '0192f0a4-7c1e-7bb2-9a51-2f0c7c2f6a11'
const ID3 = '0192f0a4-7c1e-7bb2-9a51-2f0c7c2f6a12'

const view = (over: Partial<Interaction> = {}): Interaction => ({ id: ID1, type: 'view', userId: 'user-42', itemId: 'article-7', ...over }) as Interaction

t.test('a valid event keeps its fields and gets the subject', async (t) => {
  const r = collectEvents([view({ time: '2026-11-25T09:30:00Z' })], receivedAt)
  if (!r.ok) return t.fail('expected ok')
  t.equal(r.events.length, 1)
  t.same(r.inBatchDuplicates, [])
  const [e] = r.events
  t.same(e?.interaction, { id: ID1, type: 'view', userId: 'user-42', itemId: 'article-7', time: '2026-11-25T09:30:00.000Z' })
  t.equal(e?.subject, 'user-42')
  t.equal(e?.occurredAt.toISOString(), '2026-11-25T09:30:00.000Z')
})

t.test('the time defaults to receivedAt', async (t) => {
  const r = collectEvents([view()], receivedAt)
  if (!r.ok) return t.fail('expected ok')
  t.equal(r.events[0]?.interaction.time, '2026-11-25T10:00:00.000Z')
  t.equal(r.events[0]?.occurredAt.getTime(), receivedAt.getTime())
})

t.test('an event with neither userId nor anonymousId is rejected, naming /events/<i>/userId', async (t) => {
  const r = collectEvents([view(), view({ id: ID2, userId: undefined })], receivedAt)
  t.same(r, { ok: false, errors: [{ field: '/events/1/userId', in: 'body', message: 'userId or anonymousId is required' }] })
})

t.test('an anonymous-only event uses anonymousId as subject', async (t) => {
  const r = collectEvents([view({ userId: undefined, anonymousId: 'anon-9' })], receivedAt)
  if (!r.ok) return t.fail('expected ok')
  t.equal(r.events[0]?.subject, 'anon-9')
})

t.test('userId wins over anonymousId as subject', async (t) => {
  const r = collectEvents([view({ anonymousId: 'anon-9' })], receivedAt)
  if (!r.ok) return t.fail('expected ok')
  t.equal(r.events[0]?.subject, 'user-42')
})

t.test('a time more than 5 minutes in the future is rejected, naming /events/<i>/time', async (t) => {
  const tooLate = new Date(receivedAt.getTime() + MAX_CLOCK_SKEW_MS + 1000).toISOString()
  const r = collectEvents([view(), view({ id: ID2 }), view({ id: ID3, time: tooLate })], receivedAt)
  t.same(r, { ok: false, errors: [{ field: '/events/2/time', in: 'body', message: 'must not be more than 5 minutes in the future' }] })
})

t.test('up to 5 minutes of clock skew is accepted', async (t) => {
  const edge = new Date(receivedAt.getTime() + MAX_CLOCK_SKEW_MS).toISOString()
  t.equal(MAX_CLOCK_SKEW_MS, 5 * 60 * 1000)
  t.ok(collectEvents([view({ time: edge })], receivedAt).ok)
})

t.test('every bad event is reported, in order', async (t) => {
  const r = collectEvents([view({ userId: undefined }), view({ id: ID2 }), view({ id: ID3, time: '2026-11-25T11:00:00Z' })], receivedAt)
  if (r.ok) return t.fail('expected errors')
  t.same(
    r.errors.map((e) => e.field),
    ['/events/0/userId', '/events/2/time'],
  )
})

t.test('ids are lower-cased', async (t) => {
  const r = collectEvents([view({ id: ID1.toUpperCase() })], receivedAt)
  if (!r.ok) return t.fail('expected ok')
  t.equal(r.events[0]?.interaction.id, ID1)
})

t.test('repeats of an id within the batch are dropped and reported', async (t) => {
  const r = collectEvents([view(), view({ id: ID2 }), view({ type: 'click' } as Partial<Interaction>), view({ id: ID2.toUpperCase() })], receivedAt)
  if (!r.ok) return t.fail('expected ok')
  t.same(
    r.events.map((e) => [e.interaction.id, e.interaction.type]),
    [
      [ID1, 'view'],
      [ID2, 'view'],
    ],
    'the first occurrence is kept',
  )
  t.same(r.inBatchDuplicates, [ID1, ID2.toUpperCase()])
})

t.test('recordedData wraps the interaction with receivedAt', async (t) => {
  const r = collectEvents([view()], receivedAt)
  if (!r.ok || !r.events[0]) return t.fail('expected one event')
  t.same(recordedData(r.events[0], receivedAt), { interaction: r.events[0].interaction, receivedAt: '2026-11-25T10:00:00.000Z' })
  t.equal(interactionRecorded.type, 'interaction.recorded')
})
