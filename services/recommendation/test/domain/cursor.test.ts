import t from 'tap'
import { decodeOffsetCursor, encodeOffsetCursor } from '../../src/domain/cursor.ts'

t.test('offsets round-trip', async (t) => {
  for (const offset of [0, 1, 20, 980, 999_999_999]) t.equal(decodeOffsetCursor(encodeOffsetCursor(offset)), offset, String(offset))
})

t.test('the cursor is opaque base64url of o:<offset>', async (t) => {
  t.equal(encodeOffsetCursor(20), 'bzoyMA')
  t.match(encodeOffsetCursor(123_456_789), /^[A-Za-z0-9_-]+$/)
})

t.test('garbage is rejected', async (t) => {
  const b64 = (s: string) => Buffer.from(s).toString('base64url')
  const bad = ['', 'garbage', '!!!', b64('o:'), b64('o:-1'), b64('o:1.5'), b64('o:abc'), b64('x:20'), b64('o:20 '), b64('o:1234567890'), b64(' o:20')]
  for (const cursor of bad) t.equal(decodeOffsetCursor(cursor), undefined, JSON.stringify(cursor))
})
