import { EventTypes, Preferences, PreferencesInput, PreferencesPatch, Topics } from '@attune/contracts'
import { AppError, makeEvent, problemRef, problemResponses, ref, refuseIfErasedInFlight, type ServiceApp, type ServiceContext } from '@attune/kit'
import type { ProfilingDb } from '../db.ts'
import { checkPreferences, mergePreferences, type PreferencesResult, preferencesDocument, withDefaults } from '../domain/preferences.ts'
import { PreferencesParams } from '../schemas/preferences.ts'
import { findPreferences, lockPreferences, savePreferences } from '../store/preferences-store.ts'

const published =
  "The new document is stored and published as `preferences.updated` on `attune.profiles` (key: userId) in one transaction, so recommendation, generation, scheduling and ads honour it. A request received before its user's erasure was asked for that reaches the store after the erasure ran is a 409 naming the id's field, and writes nothing."

export function preferencesRoutes(app: ServiceApp, ctx: ServiceContext<ProfilingDb>) {
  /** Stores the settings `decide` returns from what is stored now, and publishes them; nothing changes when they are invalid. */
  const write = (userId: string, decide: (current: PreferencesInput) => PreferencesResult) => {
    const now = ctx.clock()
    return ctx.transaction(async (trx, emit) => {
      await refuseIfErasedInFlight(trx, ctx.schema, [{ id: userId, field: '/userId', in: 'params' }], now)
      const stored = await lockPreferences(trx, userId, now)
      const result = decide(withDefaults(stored?.document))
      if (!result.ok) throw new AppError('validation_failed', result.errors.map((e) => `${e.field} ${e.message}`).join('; '), { errors: result.errors })
      const doc = preferencesDocument(userId, await savePreferences(trx, userId, result.settings, now))
      await emit([
        {
          topic: ctx.topic(Topics.profiles),
          key: userId,
          event: makeEvent({ ...EventTypes.preferencesUpdated, source: ctx.name, subject: userId, data: doc }, now),
        },
      ])
      return doc
    })
  }

  app.get(
    '/v1/users/:userId/preferences',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'getPreferences',
        tags: ['preferences'],
        summary: "Get a user's preferences",
        description: 'What the user chose, or the defaults with `updatedAt: null` when they never chose anything. Secret key: called by the site’s backend.',
        params: PreferencesParams,
        response: { 200: ref(Preferences), ...problemResponses },
      },
    },
    async (request) => preferencesDocument(request.params.userId, await findPreferences(ctx.db, request.params.userId)),
  )

  app.put(
    '/v1/users/:userId/preferences',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'replacePreferences',
        tags: ['preferences'],
        summary: "Replace a user's preferences",
        description: `Takes the whole document (every field). The time zone must be a known IANA zone, language tags well-formed BCP 47 (stored canonical), and no topic both followed and muted. ${published}`,
        params: PreferencesParams,
        body: ref(PreferencesInput),
        response: { 200: ref(Preferences), 409: problemRef, ...problemResponses },
      },
    },
    async (request) => write(request.params.userId, () => checkPreferences(request.body)),
  )

  app.patch(
    '/v1/users/:userId/preferences',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'updatePreferences',
        tags: ['preferences'],
        summary: "Change some of a user's preferences",
        description: `A merge patch over what is stored (or the defaults): arrays replace, objects merge key by key, \`quietHours: null\` clears the quiet hours and a null frequency cap removes it. The result is checked as a whole, as for PUT. ${published}`,
        params: PreferencesParams,
        body: ref(PreferencesPatch),
        response: { 200: ref(Preferences), 409: problemRef, ...problemResponses },
      },
    },
    async (request) => write(request.params.userId, (current) => mergePreferences(current, request.body)),
  )
}
