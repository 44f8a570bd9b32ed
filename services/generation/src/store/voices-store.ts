import type { Kysely } from 'kysely'
import type { BrandVoicesTable, GenerationDb } from '../db.ts'
import type { BrandVoice } from '../domain/voice.ts'

export type VoiceFields = Pick<BrandVoice, 'name' | 'tone' | 'vocabulary' | 'bannedWords' | 'examples'>

export function toVoice(r: BrandVoicesTable) {
  return { ...r, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString() }
}

/** Inserts a voice; undefined when the name is taken. */
export async function insertVoice(db: Kysely<GenerationDb>, voiceId: string, f: VoiceFields, now: Date): Promise<BrandVoicesTable | undefined> {
  return db
    .insertInto('brandVoices')
    .values({ voiceId, ...f, version: 1, createdAt: now, updatedAt: now })
    .onConflict((oc) => oc.column('name').doNothing())
    .returningAll()
    .executeTakeFirst()
}

export function getVoice(db: Kysely<GenerationDb>, voiceId: string): Promise<BrandVoicesTable | undefined> {
  return db.selectFrom('brandVoices').selectAll().where('voiceId', '=', voiceId).executeTakeFirst()
}

export function listVoices(db: Kysely<GenerationDb>): Promise<BrandVoicesTable[]> {
  return db.selectFrom('brandVoices').selectAll().orderBy('name').execute()
}

/** Replaces a voice's fields and bumps its version (outputs keep the version they were made with). */
export async function updateVoice(db: Kysely<GenerationDb>, voiceId: string, f: VoiceFields, now: Date): Promise<BrandVoicesTable | undefined> {
  return db
    .updateTable('brandVoices')
    .set((eb) => ({ ...f, version: eb('version', '+', 1), updatedAt: now }))
    .where('voiceId', '=', voiceId)
    .returningAll()
    .executeTakeFirst()
}

export async function deleteVoice(db: Kysely<GenerationDb>, voiceId: string): Promise<boolean> {
  const r = await db.deleteFrom('brandVoices').where('voiceId', '=', voiceId).executeTakeFirst()
  return Number(r.numDeletedRows) > 0
}
