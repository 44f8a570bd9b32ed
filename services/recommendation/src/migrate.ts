import { runMigrations } from '@attune/kit'
import { recommendation } from './app.ts'
import { RecommendationConfigSchema } from './config.ts'

await runMigrations(recommendation, RecommendationConfigSchema)
