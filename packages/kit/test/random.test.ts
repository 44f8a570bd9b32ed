// Time-ordered ids (UUIDv7, RFC 9562) as every service makes them for events, requests and decisions.
import { timeOfOrderedId, timeOrderedId } from '@attune/kit'
import t from 'tap'
import { v7 as uuidv7, validate, version } from 'uuid'

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

t.test('a UUIDv7 carrying the time given, or now', async (t) => {
  for (const ms of [0, 1, 255, 256, 0x1_0000_0000, Date.UTC(2026, 11, 7, 1, 2, 3, 456), 2 ** 48 - 1]) {
    const id = timeOrderedId(ms)
    t.match(id, UUID_V7, `${ms}`)
    t.ok(validate(id) && version(id) === 7, 'the uuid package reads it as version 7')
    t.equal(Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16), ms, 'its first 48 bits are the time')
  }
  const before = Date.now()
  const now = timeOfOrderedId(timeOrderedId())
  t.ok(now !== undefined && now >= before && now <= Date.now())
  t.equal(timeOfOrderedId(timeOrderedId(Date.UTC(2026, 0, 1))), Date.UTC(2026, 0, 1))
})

t.test('the same layout as the uuid package for the same time and random bytes', async (t) => {
  const ms = Date.UTC(2026, 11, 7)
  const a = timeOrderedId(ms)
  const b = uuidv7({ msecs: ms })
  t.equal(a.slice(0, 15), b.slice(0, 15), 'time and version')
  t.equal(a.length, 36)
  t.equal([a[8], a[13], a[18], a[23]].join(''), '----')
})

t.test('random bits differ: 20,000 ids of one millisecond, all distinct, each returned as its own string', async (t) => {
  const ids = Array.from({ length: 20_000 }, () => timeOrderedId(1_700_000_000_000))
  t.equal(new Set(ids).size, ids.length)
  // The text buffer is reused: an id already returned must not change with the next one.
  const first = timeOrderedId(5)
  const second = timeOrderedId(6)
  t.not(first, second)
  t.equal(Number.parseInt(first.replace(/-/g, '').slice(0, 12), 16), 5)
  // Every random hex position takes several values (74 random bits, not a constant).
  for (const at of [15, 16, 20, 30, 35]) t.ok(new Set(ids.map((id) => id[at])).size > 8, `position ${at} varies`)
  t.same(new Set(ids.map((id) => id[19])), new Set(['8', '9', 'a', 'b']), 'the variant is 10xx')
})
