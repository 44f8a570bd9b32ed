export * from './kafka.ts'
export * from './postgres.ts'
export * from './process.ts'
export * from './service.ts'
