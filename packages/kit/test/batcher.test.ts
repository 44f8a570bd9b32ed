import { createBatcher } from '@attune/kit'
import t from 'tap'

/** A runner whose batches finish when the test says so, recording what each batch held. */
function gatedRunner() {
  const batches: number[][] = []
  const releases: (() => void)[] = []
  const run = async (inputs: number[]) => {
    batches.push(inputs)
    await new Promise<void>((resolve) => releases.push(resolve))
    return inputs.map((n) => (n < 0 ? new Error(`negative ${n}`) : n * 10))
  }
  return { batches, releases, run }
}

const tick = () => new Promise((r) => setImmediate(r))

t.test('idle, an input runs at once; what arrives meanwhile waits and goes together', async (t) => {
  const g = gatedRunner()
  const batcher = createBatcher({ run: g.run, maxInFlight: 1, maxBatch: 3 })
  const results = [1, 2, 3, 4, 5].map((n) => batcher.submit(n))
  await tick()
  t.same(g.batches, [[1]], 'the first runs alone, the rest wait')
  g.releases.shift()?.()
  await tick()
  t.same(g.batches, [[1], [2, 3, 4]], 'the next batch takes up to maxBatch of the waiting')
  g.releases.shift()?.()
  await tick()
  g.releases.shift()?.()
  t.same(await Promise.all(results), [10, 20, 30, 40, 50])
  t.same(g.batches, [[1], [2, 3, 4], [5]])
})

t.test('up to maxInFlight batches run at once', async (t) => {
  const g = gatedRunner()
  const batcher = createBatcher({ run: g.run, maxInFlight: 2, maxBatch: 10 })
  const results = [1, 2, 3, 4].map((n) => batcher.submit(n))
  await tick()
  t.same(g.batches, [[1], [2]])
  for (const release of g.releases.splice(0)) release()
  await tick()
  t.same(g.batches, [[1], [2], [3, 4]])
  for (const release of g.releases.splice(0)) release()
  t.same(await Promise.all(results), [10, 20, 30, 40])
})

t.test('an Error result rejects that input only; a failed batch rejects all of its inputs', async (t) => {
  const g = gatedRunner()
  const batcher = createBatcher({ run: g.run, maxInFlight: 1, maxBatch: 10 })
  const first = batcher.submit(1)
  const bad = batcher.submit(-1)
  const good = batcher.submit(2)
  for (let i = 0; i < 2; i++) {
    await tick()
    g.releases.shift()?.()
  }
  t.equal(await first, 10)
  await t.rejects(bad, /negative -1/)
  t.equal(await good, 20)

  const failing = createBatcher<number, number>({
    run: async () => {
      throw new Error('database down')
    },
    maxInFlight: 1,
    maxBatch: 10,
  })
  await t.rejects(Promise.all([failing.submit(1), failing.submit(2)]), /database down/)
  const short = createBatcher<number, number>({ run: async () => [], maxInFlight: 1, maxBatch: 10 })
  await t.rejects(short.submit(1), /fewer results/)
})
