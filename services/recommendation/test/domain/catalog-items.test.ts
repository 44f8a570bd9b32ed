import t from 'tap'
import { contentHash, itemContent, itemContentErrors } from '../../src/domain/catalog-items.ts'
import { decodeKeyCursor, encodeKeyCursor } from '../../src/domain/key-cursor.ts'

t.test('defaults fill every field; dates are normalised to UTC milliseconds', async (t) => {
  t.same(itemContent('a', {}), {
    itemId: 'a',
    type: 'article',
    title: null,
    text: null,
    url: null,
    categories: [],
    tags: [],
    author: null,
    language: null,
    publishedAt: null,
    expiresAt: null,
    hidden: false,
    properties: {},
  })
  t.equal(itemContent('a', { publishedAt: '2026-11-25T10:00:00+01:00' }).publishedAt, '2026-11-25T09:00:00.000Z')
})

t.test('the hash ignores key order and date notation, and sees every change', async (t) => {
  const a = itemContent('a', { title: 'T', publishedAt: '2026-11-25T09:00:00Z', properties: { x: 1, y: { b: 2, a: [1, 2] } } })
  const b = itemContent('a', { properties: { y: { a: [1, 2], b: 2 }, x: 1 }, publishedAt: '2026-11-25T10:00:00.000+01:00', title: 'T' })
  t.equal(contentHash(a), contentHash(b))
  t.match(contentHash(a), /^[0-9a-f]{64}$/)
  for (const changed of [
    { ...a, title: 'U' },
    { ...a, itemId: 'b' },
    { ...a, hidden: true },
    { ...a, properties: { x: 1, y: { a: [2, 1], b: 2 } } },
    { ...a, title: null },
  ])
    t.not(contentHash(changed), contentHash(a), JSON.stringify(changed).slice(0, 60))
})

t.test('an item may not expire before it is published', async (t) => {
  t.same(itemContentErrors(itemContent('a', { publishedAt: '2026-11-25T09:00:00Z', expiresAt: '2026-11-25T09:00:00Z' })), [
    { field: '/expiresAt', message: 'must be after publishedAt' },
  ])
  t.same(itemContentErrors(itemContent('a', { publishedAt: '2026-11-25T09:00:00Z', expiresAt: '2026-11-25T09:00:01Z' })), [])
  t.same(itemContentErrors(itemContent('a', { expiresAt: '2020-01-01T00:00:00Z' })), [], 'no publishedAt: nothing to compare')
})

t.test('key cursors round-trip and reject garbage', async (t) => {
  for (const key of ['a', 'article-0001', 'ü-ñ', 'x'.repeat(128)]) t.equal(decodeKeyCursor(encodeKeyCursor(key)), key)
  const b64 = (s: string) => Buffer.from(s).toString('base64url')
  for (const bad of ['', 'garbage', b64('k:'), b64('o:20'), b64('k:has space'), b64(`k:${'x'.repeat(129)}`)]) t.equal(decodeKeyCursor(bad), undefined, bad)
})
