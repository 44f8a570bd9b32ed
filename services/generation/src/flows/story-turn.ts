import { errors } from '@attune/kit'
import { Type } from 'typebox'
import { Value } from 'typebox/value'
import { v7 as uuidv7 } from 'uuid'
import type { StoriesTable, StoryTurnsTable } from '../db.ts'
import { buildPrompt } from '../domain/prompt.ts'
import { extendMemory, summarizeTurn } from '../domain/story-memory.ts'
import { resolveStyle } from '../domain/style.ts'
import { templateFor } from '../domain/templates.ts'
import { ProviderError } from '../providers/provider-error.ts'
import { signalsOf } from '../store/signals-store.ts'
import type { FlowDeps } from './deps.ts'
import { guardInput } from './input-guard.ts'

type Story = Omit<StoriesTable, 'characters'> & { characters: { name: string; description: string }[] }

/** Moderation threshold of every turn, by the story's content rating: stricter for younger readers. */
export const ratingThresholds: Record<Story['rating'], number> = { all_ages: 0.3, teen: 0.5, mature: 0.8 }
export const WITHHELD_NARRATION = 'This passage was withheld by moderation. Choose another way forward.'

/** The structured output a model must return for a turn. */
export const StoryOutput = Type.Object(
  { narration: Type.String({ minLength: 1 }), options: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, maxItems: 4 }) },
  { additionalProperties: false, required: ['narration', 'options'] },
)

function parseOutput(text: string): { narration: string; options: string[] } {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (cause) {
    throw new ProviderError(502, 'The model provider did not return valid JSON for the story turn', { cause })
  }
  if (!Value.Check(StoryOutput, value)) throw new ProviderError(502, 'The model provider returned a story turn without narration and options')
  return value
}

export type TurnInput = { kind: 'start' | 'text' | 'option'; text: string; field: string }

/**
 * One story turn on a branch: the reader's input is guarded (PII out, moderation by the story's
 * rating), the prompt carries world facts, characters and the parent's memory, the model answers
 * in JSON, the narration is moderated, and the new turn stores its own memory (the parent's plus
 * this turn, within the budget). Nothing is written here: the caller stores the turn with `persist`.
 */
export async function composeTurn(deps: FlowDeps, apiKeyName: string, story: Story, parent: StoryTurnsTable | undefined, input: TurnInput) {
  const threshold = ratingThresholds[story.rating]
  const guarded = await guardInput(deps.moderate, [{ field: input.field, text: input.text }], threshold)
  const said = guarded.texts[0] as string
  const memory = parent?.memory ?? []
  const signals = await signalsOf(deps.ctx.db, story.userId)
  const { style } = resolveStyle(signals, {})
  const vars = {
    genre: story.genre,
    tone: story.tone,
    rating: story.rating.replace('_', ' '),
    avoid: story.avoidTopics.length ? ` Never bring up: ${story.avoidTopics.join(', ')}.` : '',
    facts: story.facts.map((f) => `- ${f}`).join('\n') || '- (none)',
    characters: story.characters.map((c) => `- ${c.name}: ${c.description}`).join('\n') || '- (none)',
    memory: memory.join('\n') || '(the story has not begun)',
    input: input.kind === 'start' ? `Begin the story. ${said}` : said,
  }
  const depth = parent ? parent.depth + 1 : 0
  const r = await deps.gateway.complete({
    apiKeyName,
    userId: story.userId,
    cache: false,
    request: {
      model: deps.settings.models('story'),
      messages: buildPrompt(templateFor('story'), vars, style, undefined),
      n: 1,
      temperature: 0.9,
      maxTokens: 600,
      json: { name: 'story_turn', schema: StoryOutput as unknown as Record<string, unknown> },
      brief: {
        kind: 'story',
        genre: story.genre,
        tone: story.tone,
        input: input.kind === 'start' ? '' : said,
        memory,
        characters: story.characters.map((c) => c.name),
        turn: depth,
        style,
      },
    },
  })
  const out = parseOutput(r.completion.texts[0] ?? '')
  const [verdict] = await deps.moderate([`${out.narration}\n${out.options.join('\n')}`])
  const withheld = (verdict?.score ?? 0) >= threshold
  const narration = withheld ? WITHHELD_NARRATION : out.narration
  const options = withheld ? (parent?.options ?? []) : out.options
  const turn: StoryTurnsTable = {
    turnId: uuidv7(),
    storyId: story.storyId,
    parentTurnId: parent?.turnId ?? null,
    depth,
    inputKind: input.kind,
    input: said,
    narration,
    options,
    memory: withheld ? [...memory] : extendMemory(memory, summarizeTurn(input.kind === 'start' ? '' : said, narration), deps.settings.storyMemoryBudgetChars),
    withheld,
    provider: r.completion.provider,
    createdAt: deps.ctx.clock(),
  }
  return { turn, persist: r.persist }
}

/** What the reader did: free text, or one of the parent turn's options (422 naming the field when it has no such option). */
export function readTurnInput(body: { text?: string; option?: number }, parent: StoryTurnsTable | undefined): TurnInput {
  if (body.text !== undefined && body.option !== undefined) throw errors.invalid('/option', 'must not be sent with text: write or pick, not both')
  if (body.text !== undefined) return { kind: 'text', text: body.text, field: '/text' }
  if (body.option === undefined) throw errors.invalid('/text', 'is required (or option, to pick one of the offered options)')
  const picked = parent?.options[body.option]
  if (picked === undefined) throw errors.invalid('/option', `must be one of the ${parent?.options.length ?? 0} options of the parent turn`)
  return { kind: 'option', text: picked, field: '/option' }
}
