import t from 'tap'
import { allTopics, deadLetterTopic, Topics, topicName } from '../src/topics.ts'

t.test('topicName puts the prefix in front', async (t) => {
  t.equal(topicName('attune', Topics.interactions), 'attune.interactions')
  t.equal(topicName('t1a2b3', Topics.privacy), 't1a2b3.privacy')
})

t.test('topicName with an empty prefix is the bare name', async (t) => {
  t.equal(topicName('', Topics.items), 'items')
})

t.test('deadLetterTopic appends .dlq', async (t) => {
  t.equal(deadLetterTopic('attune.interactions'), 'attune.interactions.dlq')
  t.equal(deadLetterTopic(topicName('', Topics.profiles)), 'profiles.dlq')
})

t.test('allTopics lists every logical topic once', async (t) => {
  t.same([...allTopics].sort(), ['deliveries', 'interactions', 'items', 'privacy', 'profiles', 'sentiment'])
  t.equal(new Set(allTopics).size, allTopics.length)
})
