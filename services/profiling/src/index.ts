export { profiling } from './app.ts'
export type { ProfilingDb } from './db.ts'
