import { runMigrations } from '@attune/kit'
import { profiling } from './app.ts'

await runMigrations(profiling)
