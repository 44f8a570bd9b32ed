// The hot-loop sampler draws exactly what `gamma` draws from the same uniforms and normals.
import t from 'tap'
import { Draws, gamma, gammaSetup, seededRng } from '../../src/domain/random.ts'

t.test('Draws.gamma equals gamma for shapes below and above 1', async (t) => {
  const d = new Float64Array(1)
  const c = new Float64Array(1)
  const inv = new Float64Array(1)
  for (const shape of [0.05, 0.5, 0.999, 1, 1.5, 7, 30, 420.5]) {
    gammaSetup(shape, 0, d, c, inv)
    const fast = new Draws(seededRng(11))
    const rng = seededRng(11)
    const reference = new Draws(rng)
    for (let i = 0; i < 200; i++) {
      const x = fast.gamma(d[0] as number, c[0] as number, inv[0] as number)
      const y = gamma(rng, shape, () => reference.normal())
      if (x !== y) t.fail(`shape ${shape}, draw ${i}: ${x} ≠ ${y}`)
    }
  }
  t.pass('same draws')
})
