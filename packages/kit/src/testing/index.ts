export * from './kafka.ts'
export * from './postgres.ts'
export * from './service.ts'
