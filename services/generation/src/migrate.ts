import { runMigrations } from '@attune/kit'
import { generation } from './app.ts'
import { GenerationConfigSchema } from './config.ts'

await runMigrations(generation, GenerationConfigSchema)
