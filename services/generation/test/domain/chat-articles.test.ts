import t from 'tap'
import { pickArticles } from '../../src/domain/chat-articles.ts'

const articles = [
  { itemId: 'a1', title: 'Markets rally', categories: ['business'], author: null, score: 0.9, reasons: ['Trending now'] },
  { itemId: 'a2', title: 'Climate deal signed', categories: ['climate'], author: null, score: 0.8, reasons: ['Because you read “Heatwave”'] },
  { itemId: 'a3', title: 'Cup final', categories: ['sport'], author: null, score: 0.7, reasons: [] },
]

t.test('articles matching the question come first, each with why', async (t) => {
  const picked = pickArticles('anything new on the climate?', articles, 2, 'rec-1')
  t.same(
    picked.map((c) => c.itemId),
    ['a2', 'a1'],
  )
  t.match(picked[0]?.why, /matches what you asked about \(climate\); because you read/)
  t.match(picked[1]?.why, /trending now/)
  t.ok(picked.every((c) => c.recommendationId === 'rec-1'))
  t.same(
    pickArticles('hello', articles, 3, 'r').map((c) => c.index),
    [1, 2, 3],
  )
})

t.test('the latest message outweighs earlier ones', async (t) => {
  const picked = pickArticles('and sport?', articles, 2, 'r', 'anything on climate?')
  t.same(
    picked.map((c) => c.itemId),
    ['a3', 'a2'],
    'sport first, the earlier topic next',
  )
  t.match(picked[1]?.why, /\(climate\)/)
})
