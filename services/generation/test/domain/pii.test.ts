import t from 'tap'
import { luhnValid, redactPii } from '../../src/domain/pii.ts'

t.test('emails, phones, cards, IBANs, IPs and SSNs are replaced', async (t) => {
  const r = redactPii(
    'Mail jane.doe+news@example.co.uk or call +44 20 7946 0958; card 4111 1111 1111 1111, IBAN GB82 WEST 1234 5698 7654 32, from 192.168.1.20, ssn 123-45-6789.',
  )
  t.notMatch(r.text, /jane|7946|4111|WEST|192\.168|123-45/)
  t.match(r.text, /\[EMAIL\].*\[PHONE\].*\[CARD\].*\[IBAN\].*\[IP\].*\[SSN\]/)
  t.same(r.counts, { email: 1, phone: 1, card: 1, iban: 1, ip: 1, ssn: 1 })
})

t.test('ordinary numbers and text stay', async (t) => {
  const text = 'Order 12345 shipped in 2026 with 3 items; see page 42.'
  t.same(redactPii(text), { text, counts: {} })
  t.equal(redactPii('ref 1234 5678 9012 3456').counts.card, undefined, 'a 16-digit run failing Luhn is not a card')
  t.ok(luhnValid('4111111111111111'))
  t.notOk(luhnValid('4111111111111112'))
})

t.test('text with neither a digit nor an @ is returned as is; an @ alone is still looked at', async (t) => {
  const text = 'Nothing personal here, only words.'
  const r = redactPii(text)
  t.equal(r.text, text)
  t.same(r.counts, {})
  t.same(redactPii('write to jane@example.org'), { text: 'write to [EMAIL]', counts: { email: 1 } })
})
