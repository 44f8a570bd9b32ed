// The pad-precomputing HMAC against Node's createHmac.
import { createHmac } from 'node:crypto'
import t from 'tap'
import { HmacSha256 } from '../../src/tracking/hmac.ts'

t.test('HmacSha256 equals createHmac for short and long keys and messages, ASCII or not', async (t) => {
  const keys = ['secret-key-0123456789', 'k', 'x'.repeat(64), 'y'.repeat(200), 'clé-secrète-ünïcode']
  const messages = ['', 'eyJkIjoiZDEifQ', 'a'.repeat(1023), 'b'.repeat(5000), 'ünïcode ✓ 𝄞', 'short again']
  for (const key of keys) {
    const h = new HmacSha256(key)
    for (const m of messages) t.equal(h.base64url(m), createHmac('sha256', key).update(m).digest('base64url'), `${key.slice(0, 8)} / ${m.slice(0, 8)}`)
  }
})

t.test('HmacSha256 of bytes equals createHmac, between messages of text too', async (t) => {
  const h = new HmacSha256('secret-key-0123456789')
  for (const n of [0, 1, 230, 2000, 17]) {
    const bytes = Buffer.from(Array.from({ length: n }, (_, i) => (i * 37 + n) & 0xff))
    t.equal(h.base64urlOfBytes(bytes), createHmac('sha256', 'secret-key-0123456789').update(bytes).digest('base64url'), `${n} bytes`)
    t.equal(h.base64url('short'), createHmac('sha256', 'secret-key-0123456789').update('short').digest('base64url'))
  }
})
