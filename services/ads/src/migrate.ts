import { runMigrations } from '@attune/kit'
import { ads } from './app.ts'
import { AdsConfigSchema } from './config.ts'

await runMigrations(ads, AdsConfigSchema)
