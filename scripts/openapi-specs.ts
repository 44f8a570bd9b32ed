import { BaseConfigSchema, createService, loadConfig, MemoryBus, openDatabase } from '@attune/kit'
import { serviceDefinitions } from './services.ts'

/** Builds each service's OpenAPI document as pretty JSON. */
export async function generateSpecs(): Promise<Map<string, string>> {
  const specs = new Map<string, string>()
  for (const def of serviceDefinitions) {
    // pg connects lazily, so this never reaches a server.
    const database = await openDatabase('postgres://openapi@127.0.0.1:9/none')
    const config = loadConfig(def.configSchema ?? BaseConfigSchema, { DATABASE_URL: 'postgres://openapi@127.0.0.1:9/none', LOG_LEVEL: 'silent' })
    const service = await createService(def, { config, database, bus: new MemoryBus() })
    await service.app.ready()
    specs.set(def.name, `${JSON.stringify(service.app.swagger(), null, 2)}\n`)
    await service.app.close()
    await database.close()
  }
  return specs
}
