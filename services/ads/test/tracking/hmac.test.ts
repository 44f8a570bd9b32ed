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
