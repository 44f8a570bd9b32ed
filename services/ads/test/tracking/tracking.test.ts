// Signed tokens and the bot filter, pure.
import t from 'tap'
import { isBotAgent, RepeatFilter } from '../../src/tracking/bot-filter.ts'
import { signClaims, verifyToken } from '../../src/tracking/token.ts'

const claims = { d: 'd1', a: 'a1', c: 'c1', p: 'p1', u: 'user-1', z: 1 as const, f: 'IAB17', t: 1_700_000_000_000 }

t.test('tokens verify only with the right key and untouched claims', async (t) => {
  const token = signClaims('secret-key-0123456789', claims)
  t.same(verifyToken('secret-key-0123456789', token), claims)
  t.equal(verifyToken('another-key-0123456789', token), undefined, 'wrong key')
  const [body, sig] = token.split('.') as [string, string]
  const forged = Buffer.from(JSON.stringify({ ...claims, c: 'c2' })).toString('base64url')
  t.equal(verifyToken('secret-key-0123456789', `${forged}.${sig}`), undefined, 'changed claims')
  t.equal(verifyToken('secret-key-0123456789', `${body}.${sig.slice(0, -1)}`), undefined, 'truncated signature')
  t.equal(verifyToken('secret-key-0123456789', 'garbage'), undefined)
})

t.test('bots: crawler agents, and callers over the per-minute limit', async (t) => {
  t.ok(isBotAgent('Mozilla/5.0 (compatible; Googlebot/2.1)'))
  t.ok(isBotAgent('curl/8.0'))
  t.notOk(isBotAgent('Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/130.0'))
  t.notOk(isBotAgent(undefined))
  const f = new RepeatFilter(3)
  const now = 60_000 * 1000
  t.same(
    [1, 2, 3, 4].map(() => f.allow('1.2.3.4', now)),
    [true, true, true, false],
  )
  t.ok(f.allow('5.6.7.8', now), 'another caller')
  t.ok(f.allow('1.2.3.4', now + 60_000), 'a new minute')
})
