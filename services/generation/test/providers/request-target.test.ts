import t from 'tap'
import { requestTarget } from '../../src/providers/request-target.ts'

t.test('a URL string is parsed once into what node:http takes', async (t) => {
  const url = 'http://127.0.0.1:8080/v1/chat/completions?api-version=2'
  const target = requestTarget(url)
  t.match(target, { protocol: 'http:', href: url, options: { hostname: '127.0.0.1', port: 8080, path: '/v1/chat/completions?api-version=2' } })
  t.equal(requestTarget(url), target, 'the same string, the same parse')
  t.match(requestTarget('https://user:pw@api.example.com/v1/x'), {
    protocol: 'https:',
    options: { hostname: 'api.example.com', auth: 'user:pw', path: '/v1/x' },
  })
  t.match(requestTarget('http://[::1]:9/a'), { options: { hostname: '::1', port: 9 } }, 'IPv6 host without brackets')
})

t.test('other inputs: a URL object, another scheme, a Request, a bad URL', async (t) => {
  t.match(requestTarget(new URL('http://localhost/a b')), { options: { path: '/a%20b' } })
  t.equal(requestTarget('file:///etc/hosts'), null)
  t.equal(requestTarget(new Request('http://localhost/')), undefined)
  t.throws(() => requestTarget('not a url'), TypeError)
})
