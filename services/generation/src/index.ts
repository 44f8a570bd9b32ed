export { generation, providerFor } from './app.ts'
export type { GenerationConfig } from './config.ts'
export type { GenerationDb } from './db.ts'
