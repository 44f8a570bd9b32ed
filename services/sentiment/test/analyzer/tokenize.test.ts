import t from 'tap'
import { negationScope } from '../../src/analyzer/rules.ts'
import { tokenize } from '../../src/analyzer/tokenize.ts'

const view = (text: string) => tokenize(text).map((x) => `${x.kind}:${x.norm}${x.caps ? '!' : ''}${x.elongated ? '~' : ''}`)

t.test('social tokens', async (t) => {
  t.same(view('I LOVE it soooo much!!! 😍 :) #blessed @bob https://x.co/a'), [
    'word:i',
    'word:love!',
    'word:it',
    'word:soo~',
    'word:much',
    'punct:!~',
    'emoji:😍',
    'emoticon::)',
    'hashtag:blessed',
    'mention:<user>',
    'url:<url>',
  ])
  t.same(view('WHY THE HELL'), ['word:why', 'word:the', 'word:hell'], 'a text all in capitals is not shouting word by word')
  t.same(view('Thanks [NAME], don’t'), ['word:thanks', 'mention:<user>', 'punct:,', "word:don't"])
  t.same(view('👍🏽 🇫🇷'), ['emoji:👍', 'emoji:🇫🇷'])
})

t.test('negation scope: three words, through boosters, up to punctuation or a contrast', async (t) => {
  const scope = (text: string) =>
    tokenize(text)
      .filter((_, i, all) => negationScope(all)[i] === 1)
      .map((x) => x.norm)
  t.same(scope('not very good at all today'), ['very', 'good', 'at', 'all'])
  t.same(scope("don't like it. love it"), ['like', 'it'])
  t.same(scope('not great but fine'), ['great'])
  t.same(scope('never been so disappointed'), [], '"never so" is emphasis, not negation')
  t.same(scope('never liked it'), ['liked', 'it'])
})
