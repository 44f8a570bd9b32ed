// Signed tokens and the bot filter, pure.
import t from 'tap'
import { isBotAgent, RepeatFilter } from '../../src/tracking/bot-filter.ts'
import { signClaims, signRequest, verifyToken } from '../../src/tracking/token.ts'

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

t.test('a request signs its decisions once; each link verifies to its own decision', async (t) => {
  const secret = 'secret-key-0123456789'
  const request = { u: 'user-ä-1', z: 1 as const, t: 1_700_000_000_000 }
  const decisions = [
    {
      d: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c51',
      a: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c43',
      c: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c44',
      p: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c42',
      f: 'IAB17',
    },
    {
      d: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c52',
      a: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c53',
      c: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c54',
      p: '0193a6f0-4b1c-7c3e-9a51-2f6d8e1b7c55',
      f: '',
    },
  ]
  const tokens = signRequest(secret, request, decisions)
  t.equal(tokens.length, 2)
  t.same(
    tokens.map((x) => verifyToken(secret, x)),
    decisions.map((d) => ({ ...d, ...request })),
  )
  t.same(verifyToken(secret, signRequest(secret, { z: 0, t: 5 }, decisions.slice(1))[0] as string), { ...decisions[1], z: 0, t: 5 }, 'no user key')
  const [, body, sig] = (tokens[0] as string).split('.') as [string, string, string]
  t.equal(verifyToken('another-key-0123456789', tokens[0] as string), undefined, 'wrong key')
  t.equal(verifyToken(secret, `2.${body}.${sig}`), undefined, 'no third decision')
  t.equal(verifyToken(secret, `01.${body}.${sig}`), undefined, 'index not canonical')
  const bytes = Buffer.from(body, 'base64url')
  bytes[20] = (bytes[20] as number) ^ 1
  t.equal(verifyToken(secret, `0.${bytes.toString('base64url')}.${sig}`), undefined, 'changed claims')
  t.equal(verifyToken(secret, `0.${body}~.${sig}`), undefined, 'stray characters')
  t.equal(verifyToken(secret, `0.${body}.${sig.slice(0, -1)}`), undefined, 'truncated signature')
  t.equal(verifyToken(secret, `${body}.${sig}`), undefined, 'not a version 1 token')
  const odd = signRequest(secret, request, [{ ...decisions[0], d: 'D1' } as (typeof decisions)[0]])
  t.same(verifyToken(secret, odd[0] as string), { ...decisions[0], d: 'D1', ...request }, 'ids that are not UUIDs: version 1')
  t.equal((odd[0] as string).split('.').length, 2)
})
