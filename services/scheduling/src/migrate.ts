import { runMigrations } from '@attune/kit'
import { scheduling } from './app.ts'
import { SchedulingConfigSchema } from './config.ts'

await runMigrations(scheduling, SchedulingConfigSchema)
