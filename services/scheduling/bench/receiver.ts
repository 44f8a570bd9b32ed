// A webhook receiver for the dispatch benchmark, in its own process: answers 200 to every POST
// and prints how many it got on SIGTERM. Prints `listening <port>` when ready.
import { createServer } from 'node:http'

let count = 0
const server = createServer((req, res) => {
  req.resume()
  req.on('end', () => {
    count++
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '2' })
    res.end('{}')
  })
})
server.keepAliveTimeout = 60_000
server.listen(0, '127.0.0.1', () => {
  const address = server.address()
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : 0}\n`)
})
process.on('SIGTERM', () => {
  process.stdout.write(`received ${count}\n`)
  process.exit(0)
})
