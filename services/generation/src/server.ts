import { runService } from '@attune/kit'
import { generation } from './app.ts'
import { GenerationConfigSchema } from './config.ts'

await runService(generation, GenerationConfigSchema)
