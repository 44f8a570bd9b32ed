import { runService } from '@attune/kit'
import { scheduling } from './app.ts'
import { SchedulingConfigSchema } from './config.ts'

await runService(scheduling, SchedulingConfigSchema)
