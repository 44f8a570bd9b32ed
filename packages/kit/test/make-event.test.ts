import { AnyEventEnvelope } from '@attune/contracts'
import t from 'tap'
import { Value } from 'typebox/value'
import { makeEvent } from '../src/events/make-event.ts'

const now = new Date('2026-11-25T10:00:00.000Z')
const input = { type: 'interaction.recorded', source: 'profiling', subject: 'user-42', data: { n: 1 } }

t.test('copies the fields and defaults schemaVersion to 1 and time to now', async (t) => {
  const e = makeEvent(input, now)
  t.equal(e.type, 'interaction.recorded')
  t.equal(e.source, 'profiling')
  t.equal(e.subject, 'user-42')
  t.same(e.data, { n: 1 })
  t.equal(e.schemaVersion, 1)
  t.equal(e.time, '2026-11-25T10:00:00.000Z')
})

t.test('uses the given time and schemaVersion', async (t) => {
  const e = makeEvent({ ...input, schemaVersion: 3, time: new Date('2026-11-24T08:30:00.000Z') }, now)
  t.equal(e.time, '2026-11-24T08:30:00.000Z')
  t.equal(e.schemaVersion, 3)
})

t.test('the id is a UUIDv7 carrying now in milliseconds', async (t) => {
  const { id } = makeEvent(input, now)
  t.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'version nibble 7, RFC 4122 variant')
  const msecs = Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16)
  t.equal(msecs, now.getTime(), 'the first 48 bits are the timestamp')
})

t.test('ids are unique and sort by the minting time', async (t) => {
  const a = makeEvent(input, now).id
  const b = makeEvent(input, now).id
  const later = makeEvent(input, new Date(now.getTime() + 1)).id
  t.not(a, b)
  t.ok(a < later && b < later)
})

t.test('the event passes the AnyEventEnvelope schema', async (t) => {
  t.ok(Value.Check(AnyEventEnvelope, makeEvent(input, now)))
  t.ok(Value.Check(AnyEventEnvelope, makeEvent({ ...input, data: null }, now)))
  t.notOk(Value.Check(AnyEventEnvelope, { ...makeEvent(input, now), schemaVersion: 0 }), 'and the schema can fail')
})
