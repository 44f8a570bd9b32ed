import { runService } from '@attune/kit'
import { profiling } from './app.ts'

await runService(profiling)
