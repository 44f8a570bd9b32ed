import t from 'tap'
import { estimatePromptTokens, estimateTokens } from '../../src/domain/usage.ts'
import { utcDay } from '../../src/store/usage-store.ts'

t.test('prompt tokens are those of the messages joined by newlines', async (t) => {
  const cases = [[], [''], ['abc'], ['abc', 'de'], ['a'.repeat(401), 'b', '', 'c'.repeat(7)]]
  for (const texts of cases) {
    const messages = texts.map((content) => ({ content }))
    t.equal(estimatePromptTokens(messages), estimateTokens(texts.join('\n')), JSON.stringify(texts.map((x) => x.length)))
  }
})

t.test('the UTC day is right on either side of midnight, in any order', async (t) => {
  const at = (iso: string) => utcDay(new Date(iso))
  t.equal(at('2026-12-05T23:59:59.999Z'), '2026-12-05')
  t.equal(at('2026-12-06T00:00:00.000Z'), '2026-12-06')
  t.equal(at('2026-12-05T12:00:00.000Z'), '2026-12-05', 'back to the day before')
  t.equal(at('2026-12-05T12:00:00.000+05:00'), '2026-12-05')
  t.equal(at('2026-12-06T01:00:00.000+02:00'), '2026-12-05', 'offsets count in UTC')
  t.equal(at('1969-12-31T23:00:00.000Z'), '1969-12-31', 'before the epoch')
  t.throws(() => utcDay(new Date(Number.NaN)), RangeError)
})
