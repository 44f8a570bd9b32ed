import { runService } from '@attune/kit'
import { recommendation } from './app.ts'
import { RecommendationConfigSchema } from './config.ts'

await runService(recommendation, RecommendationConfigSchema)
