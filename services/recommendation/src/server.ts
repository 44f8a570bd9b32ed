import { runService } from '@attune/kit'
import { recommendation } from './app.ts'

await runService(recommendation)
