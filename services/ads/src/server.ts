import { runService } from '@attune/kit'
import { ads } from './app.ts'
import { AdsConfigSchema } from './config.ts'

await runService(ads, AdsConfigSchema)
