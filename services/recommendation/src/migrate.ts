import { runMigrations } from '@attune/kit'
import { recommendation } from './app.ts'

await runMigrations(recommendation)
