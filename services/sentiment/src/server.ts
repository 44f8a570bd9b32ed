import { runService } from '@attune/kit'
import { sentiment } from './app.ts'
import { SentimentConfigSchema } from './config.ts'

await runService(sentiment, SentimentConfigSchema)
