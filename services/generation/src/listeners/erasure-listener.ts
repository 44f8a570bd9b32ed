import { type ErasureRequestedData, EventTypes, erasedIds, Topics } from '@attune/contracts'
import type { ListenerDefinition } from '@attune/kit'
import type { GenerationMemory } from '../memory/generation-memory.ts'

/**
 * Every replica forgets an erased user's outputs it has not written yet (the erasure consumer runs
 * on one replica only, and deletes only what is in the database).
 */
export function erasureListener(memory: GenerationMemory): ListenerDefinition {
  return {
    name: 'users-erased',
    topics: [Topics.privacy],
    async handle(events) {
      for (const e of events) {
        if (e.type !== EventTypes.erasureRequested.type) continue
        for (const id of erasedIds(e.data as ErasureRequestedData)) await memory.forget(id)
      }
    },
  }
}
