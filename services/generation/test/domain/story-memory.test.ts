import t from 'tap'
import { extendMemory, summarizeTurn } from '../../src/domain/story-memory.ts'

t.test('memory stays within the budget, recent turns verbatim, old ones summarized', async (t) => {
  let memory: string[] = []
  for (let i = 1; i <= 30; i++) memory = extendMemory(memory, summarizeTurn(`step ${i}`, `Turn ${i} happens in a long and winding way. More detail.`), 400)
  const size = memory.reduce((n, l) => n + l.length + 1, 0)
  t.ok(size <= 400, `size ${size}`)
  t.match(memory[memory.length - 1], /^Reader: step 30\. Turn 30 happens/)
  t.match(memory[0], /^Earlier: /)
  t.ok(memory.length >= 3)
})

t.test('extending is pure: a branch does not change its parent', async (t) => {
  const parent = ['Reader: open the door. It creaks.']
  const a = extendMemory(parent, 'Reader: go left. A cave.', 1000)
  const b = extendMemory(parent, 'Reader: go right. A river.', 1000)
  t.same(parent, ['Reader: open the door. It creaks.'])
  t.match(a.join(' '), /cave/)
  t.notMatch(a.join(' '), /river/)
  t.match(b.join(' '), /river/)
})
