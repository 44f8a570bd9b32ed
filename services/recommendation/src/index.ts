export { recommendation } from './app.ts'
export type { RecommendationDb } from './db.ts'
