import t from 'tap'
import { generateApiKey, hashApiKey, parseApiKeys, scopesOf } from '../src/http/auth.ts'

// sha256('abc'), the FIPS 180-2 test vector.
const ABC_SHA256 = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
const h1 = 'a'.repeat(64)
const h2 = '0123456789abcdef'.repeat(4)

t.test('hashApiKey is the hex sha256 of the key', async (t) => {
  t.equal(hashApiKey('abc'), ABC_SHA256)
  t.not(hashApiKey('atn_sk_1'), hashApiKey('atn_sk_2'))
})

t.test('generateApiKey mints prefixed, url-safe, distinct keys', async (t) => {
  const pk = generateApiKey('public')
  const sk = generateApiKey('secret')
  t.match(pk, /^atn_pk_[A-Za-z0-9_-]{32}$/)
  t.match(sk, /^atn_sk_[A-Za-z0-9_-]{32}$/)
  t.not(generateApiKey('secret'), generateApiKey('secret'))
})

t.test('parseApiKeys reads name:kind:hash entries keyed by hash', async (t) => {
  const keys = parseApiKeys(`admin:secret:${h1}, site:public:${h2} `)
  t.equal(keys.size, 2)
  t.same(keys.get(h1), { name: 'admin', kind: 'secret' })
  t.same(keys.get(h2), { name: 'site', kind: 'public' })
})

t.test('parseApiKeys skips blanks and accepts an empty spec', async (t) => {
  t.equal(parseApiKeys('').size, 0)
  t.equal(parseApiKeys(' , ,').size, 0)
  t.equal(parseApiKeys(`,admin:secret:${h1},`).size, 1)
})

t.test('parseApiKeys accepts a hash made by hashApiKey', async (t) => {
  const raw = generateApiKey('public')
  const keys = parseApiKeys(`web:public:${hashApiKey(raw)}`)
  t.same(keys.get(hashApiKey(raw)), { name: 'web', kind: 'public' })
})

t.test('parseApiKeys rejects malformed entries', async (t) => {
  const bad = [
    `admin:root:${h1}`, // unknown kind
    `:secret:${h1}`, // no name
    'admin:secret', // no hash
    'admin:secret:abc', // short hash
    `admin:secret:${h1.toUpperCase()}`, // upper-case hex
    `admin:secret:${'g'.repeat(64)}`, // not hex
    `admin:secret:${h1}0`, // 65 characters
  ]
  for (const spec of bad) t.throws(() => parseApiKeys(spec), { message: /must be name:public\|secret:<64 hex sha256>/ }, spec)
})

t.test('the error names the entry but does not echo the hash', async (t) => {
  let message = ''
  try {
    parseApiKeys(`ok:public:${h2},admin:root:${h1}`)
  } catch (err) {
    message = (err as Error).message
  }
  t.match(message, /^ATTUNE_API_KEYS entry "admin:…"/)
  t.notOk(message.includes(h1))
})

t.test('scopesOf: a public key can write events and read recommendations, never admin', async (t) => {
  t.same([...scopesOf.public].sort(), ['events:write', 'recommendations:read'])
  t.notOk(scopesOf.public.includes('admin'))
  t.ok(scopesOf.secret.includes('admin'))
  for (const s of scopesOf.public) t.ok(scopesOf.secret.includes(s), `a secret key also has ${s}`)
})
