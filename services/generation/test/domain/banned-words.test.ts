import t from 'tap'
import { bannedStreamFilter } from '../../src/domain/banned-stream.ts'
import { findBanned, redactBanned } from '../../src/domain/banned-words.ts'

t.test('whole words, any case, simple inflections and phrases', async (t) => {
  const words = ['cheap', 'act now']
  t.same(findBanned('So CHEAP! Cheaps everywhere. Act   now.', words).sort(), ['act now', 'cheap'])
  t.same(findBanned('A cheapskate with cheapest tickets', words), [], 'not inside longer words')
  const r = redactBanned('Cheap flights, act now', words)
  t.equal(r.text, '█████ flights, ███████')
  t.same(findBanned(r.text, words), [])
})

t.test('a stream never lets a banned word through, however it is split', async (t) => {
  const words = ['cheap', 'limited offer']
  const text = 'This is a cheap trip and a limited offer for cheap people who like cheapness, really cheap.'
  for (let size = 1; size <= 12; size++) {
    const f = bannedStreamFilter(words)
    let out = ''
    for (let i = 0; i < text.length; i += size) out += f.push(text.slice(i, i + size))
    out += f.flush()
    t.equal(out.length, text.length, `chunks of ${size}: same length`)
    t.same(findBanned(out, words), [], `chunks of ${size}: nothing banned`)
    t.match(out, /cheapness/, 'longer words kept')
  }
})

t.test('matchers are kept per list: another list, or the same list again, gives its own answer', async (t) => {
  const a = ['cheap']
  const b = ['cheap', 'deal']
  const text = 'A cheap deal, cheap again.'
  for (let i = 0; i < 3; i++) {
    t.same(findBanned(text, a), ['cheap'], `list a, call ${i}`)
    t.same(findBanned(text, b).sort(), ['cheap', 'deal'], `list b, call ${i}`)
    t.equal(redactBanned(text, b).text, 'A █████ ████, █████ again.', `redacted, call ${i}`)
  }
  t.same(findBanned(text, []), [])
  t.same(redactBanned(text, ['  ']), { text, found: [] }, 'a blank word bans nothing')
})
