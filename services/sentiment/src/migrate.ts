import { runMigrations } from '@attune/kit'
import { sentiment } from './app.ts'
import { SentimentConfigSchema } from './config.ts'

await runMigrations(sentiment, SentimentConfigSchema)
