import { seededRandom } from '@attune/kit'
import t from 'tap'
import { clusterPoints, kmeans, meanSilhouette } from '../../src/domain/kmeans.ts'
import { interestVectors, learnSegments } from '../../src/domain/segment-learning.ts'

const rand = seededRandom(7)
// Three blobs in 2-D around (0,0), (10,0), (0,10).
const blobs = [
  [0, 0],
  [10, 0],
  [0, 10],
].flatMap(([x, y]) => Array.from({ length: 20 }, () => Float64Array.from([(x as number) + rand() - 0.5, (y as number) + rand() - 0.5])))

t.test('seeded random is reproducible', async (t) => {
  const a = seededRandom(42)
  const b = seededRandom(42)
  t.same([a(), a(), a()], [b(), b(), b()])
  t.not(seededRandom(1)(), seededRandom(2)())
})

t.test('k-means++ finds well separated blobs, deterministically', async (t) => {
  const r = kmeans(blobs, 3, seededRandom(1))
  for (let b = 0; b < 3; b++) {
    const labels = new Set(Array.from(r.assignments.slice(b * 20, b * 20 + 20)))
    t.equal(labels.size, 1, `blob ${b} is one cluster`)
  }
  t.equal(new Set(r.assignments).size, 3)
  const again = kmeans(blobs, 3, seededRandom(1))
  t.same(Array.from(again.assignments), Array.from(r.assignments))
  t.ok(meanSilhouette(blobs, r.assignments, 3) > 0.9)
})

t.test('k is chosen by the best silhouette', async (t) => {
  t.equal(clusterPoints(blobs, { seed: 3 }).k, 3)
  t.equal(clusterPoints(blobs, { k: 2, seed: 3 }).k, 2)
})

t.test('degenerate input: identical points, k = n', async (t) => {
  const same = Array.from({ length: 4 }, () => Float64Array.from([1, 1]))
  const r = kmeans(same, 2, seededRandom(1))
  t.equal(r.assignments.length, 4)
  t.equal(kmeans(blobs.slice(0, 3), 3, seededRandom(1)).inertia, 0)
  t.throws(() => kmeans(blobs, 0, seededRandom(1)))
})

t.test('learned segments: two interest groups, described by their top features', async (t) => {
  const now = new Date('2026-11-25T00:00:00Z')
  const rows = Array.from({ length: 12 }, (_, i) => {
    const sporty = i % 2 === 0
    return [
      { userId: `u${i}`, kind: 'category', value: sporty ? 'sport' : 'politics', weight: 10 + i, asOf: now },
      { userId: `u${i}`, kind: 'category', value: sporty ? 'tennis' : 'economy', weight: 2, asOf: now },
      { userId: `u${i}`, kind: 'category', value: 'celebrity', weight: -3, asOf: now },
    ]
  }).flat()
  const v = interestVectors(rows, ['category'], now)
  t.same(v.features, ['economy', 'politics', 'sport', 'tennis'], 'negative weights are not interests')
  for (const x of v.vectors) t.ok(Math.abs(Math.hypot(...x) - 1) < 1e-9, 'unit length')
  const learned = learnSegments(v, { seed: 42 })
  t.equal(learned.k, 2)
  const bySport = learned.clusters.find((c) => c.description.startsWith('sport'))
  const byPolitics = learned.clusters.find((c) => c.description.startsWith('politics'))
  t.same(bySport?.members, ['u0', 'u10', 'u2', 'u4', 'u6', 'u8'])
  t.same(byPolitics?.members, ['u1', 'u11', 'u3', 'u5', 'u7', 'u9'])
  t.match(bySport?.description, /^sport 0\.\d\d, tennis 0\.\d\d$/)
  t.same(learnSegments(v, { seed: 42 }), learned, 'same data and seed, same clusters')
})
