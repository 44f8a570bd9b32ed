// Pages are read once per distinct context: a repeat is served from memory, a changed text (same
// URL) is read again, and the cache stays bounded.
import t from 'tap'
import { pageContext } from '../../src/domain/page.ts'
import { PageCache } from '../../src/serving/page-cache.ts'

const url = 'https://news.example.com/article/1'
const sports = { url, text: 'The football team won the cup match and the coach praised every player', language: 'en' }
const food = { url, text: 'A dinner recipe: cooking with wine and a chef’s baking tips', language: 'en' }

t.test('the same context is read once; the same URL with another text is read again', async (t) => {
  const cache = new PageCache({ maxEntries: 100, maxChars: 1_000_000 })
  const first = cache.get(sports)
  t.same(first, pageContext(sports))
  t.equal(cache.get({ ...sports }), first, 'a repeat (an equal context) is the cached page')
  const changed = cache.get(food)
  t.same(
    changed.inferred.map((i) => i.category),
    ['IAB8'],
    'the new text’s categories, not the cached ones',
  )
  t.same(
    first.inferred.map((i) => i.category),
    ['IAB17'],
  )
  t.not(cache.get({ ...sports, country: 'FR' }), first, 'any other field makes another page')
  t.not(cache.get({ ...sports, keywords: ['cup'] }), first)
  t.equal(cache.get(undefined).inferred.length, 0, 'no context: an empty page')
})

t.test('bounded by entries and by characters, oldest generation dropped whole', async (t) => {
  const byCount = new PageCache({ maxEntries: 2, maxChars: 1_000_000 })
  const a = byCount.get({ url: 'https://a.example' })
  byCount.get({ url: 'https://b.example' })
  byCount.get({ url: 'https://c.example' })
  t.equal(byCount.get({ url: 'https://a.example' }), a, 'still in the previous generation')
  byCount.get({ url: 'https://d.example' })
  byCount.get({ url: 'https://e.example' })
  byCount.get({ url: 'https://f.example' })
  t.not(byCount.get({ url: 'https://b.example' }), undefined)
  const byChars = new PageCache({ maxEntries: 1000, maxChars: 100 })
  const long = { text: 'word '.repeat(100) }
  const page = byChars.get(long)
  byChars.get({ text: 'other '.repeat(100) })
  byChars.get({ text: 'third '.repeat(100) })
  t.not(byChars.get(long), page, 'a long text pushed out by two more')
  t.same(byChars.get(long), page, 'read again, the same page')
})

t.test('a page’s distinct words count toward the bound, not only its text', async (t) => {
  // 50 distinct words, about 400 characters: three such pages are 1,200 characters of keys.
  const text = (p: string) => Array.from({ length: 50 }, (_, i) => `${p}word${i}`).join(' ')
  const cache = new PageCache({ maxEntries: 1000, maxChars: 3000 })
  const first = cache.get({ text: text('a') })
  cache.get({ text: text('b') })
  cache.get({ text: text('c') })
  t.not(cache.get({ text: text('a') }), first, 'their word sets pushed the first page out')
})
