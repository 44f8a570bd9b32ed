import { buildTrainingData, type TrainingData } from '../../src/recommenders/training-data.ts'
import type { Interaction, ItemContent } from '../../src/recommenders/types.ts'

export const DAY = 86_400_000
export const T0 = Date.UTC(2026, 0, 1)

/**
 * Two taste groups: users a0..a5 read items a1..a5 (each skips one), users b0..b5 read b1..b5 the
 * same way, and everyone read `hit`. `fresh` has content only (no interactions).
 */
export function groups(): Interaction[] {
  const rows: Interaction[] = []
  for (const g of ['a', 'b']) {
    for (let u = 0; u < 6; u++) {
      for (let i = 1; i <= 5; i++) if (i !== (u % 5) + 1) rows.push({ userId: `${g}${u}`, itemId: `${g}${i}`, weight: 1, time: T0 + (u + i) * DAY })
      rows.push({ userId: `${g}${u}`, itemId: 'hit', weight: 1, time: T0 + u * DAY })
    }
  }
  return rows
}

export const catalog: ItemContent[] = [
  { itemId: 'a1', title: 'Election results in the capital', text: 'Voters elected a new mayor; the election turnout rose.', categories: ['politics'] },
  { itemId: 'a2', title: 'Parliament votes on the budget', text: 'The budget vote split the parliament.', categories: ['politics'] },
  { itemId: 'b1', title: 'Cup final goes to penalties', text: 'The football final ended after penalties; the keeper saved two.', categories: ['sport'] },
  { itemId: 'b2', title: 'Marathon record falls', text: 'A runner broke the marathon record in the rain.', categories: ['sport'] },
  { itemId: 'fresh', title: 'Mayor election: a recount', text: 'The capital orders a recount of the mayor election votes.', categories: ['politics'] },
]

export function groupData(): TrainingData {
  return buildTrainingData(groups(), { items: catalog })
}

export function ids(data: TrainingData, list: { item: number }[]): string[] {
  return list.map((s) => data.itemIds[s.item] as string)
}
