import type { KitTables } from '@attune/kit'

export interface ItemPopularityTable {
  itemId: string
  /** Start of the hour the interactions fell in. */
  bucket: Date
  events: number
  /** Sum of interaction weights in the hour (negative feedback subtracts). */
  score: number
}

/** Tables in the `recommendation` schema. */
export interface RecommendationDb extends KitTables {
  itemPopularity: ItemPopularityTable
}
