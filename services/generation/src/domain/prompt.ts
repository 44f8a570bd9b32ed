import { defaultStyle, type StyleFeatures, styleInstructions } from './style.ts'
import { type PromptTemplate, render } from './templates.ts'
import { type BrandVoice, voiceInstructions } from './voice.ts'

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant'
  content: string
}

function systemMessage(t: PromptTemplate, vars: Record<string, string>, style: StyleFeatures, voice: BrandVoice | undefined): string {
  return [render(t.system, vars), ...(voice ? voiceInstructions(voice) : []), ...styleInstructions(style)].join('\n')
}

// A system message without placeholders depends only on the template, the voice and the style: it
// is built once per combination. Keyed by the voice object (the read cache hands out the same one
// until the row is read again), so a changed voice is a new entry and a dropped one is collected.
const byVoice = new WeakMap<BrandVoice, Map<string, string>>()
const withoutVoice = new Map<string, string>()
const MAX_PER_VOICE = 500
// Every feature (the defaults name them all), so a feature added later is keyed on too.
const STYLE_KEYS = Object.keys(defaultStyle) as (keyof StyleFeatures)[]

function preparedSystem(t: PromptTemplate, style: StyleFeatures, voice: BrandVoice | undefined): string {
  let cache = voice ? byVoice.get(voice) : withoutVoice
  if (!cache) {
    cache = new Map()
    byVoice.set(voice as BrandVoice, cache)
  }
  let key = `${t.id}\0${t.version}`
  for (const k of STYLE_KEYS) key += `\0${style[k]}`
  let system = cache.get(key)
  if (system === undefined) {
    system = systemMessage(t, {}, style, voice)
    if (cache.size >= MAX_PER_VOICE) cache.delete(cache.keys().next().value as string)
    cache.set(key, system)
  }
  return system
}

/** A prompt: the system message (template + voice + style) and the user turn(s). */
export function buildPrompt(
  t: PromptTemplate,
  vars: Record<string, string>,
  style: StyleFeatures,
  voice: BrandVoice | undefined,
  history: ChatMessage[] = [],
): ChatMessage[] {
  const system = t.system.includes('{{') ? systemMessage(t, vars, style, voice) : preparedSystem(t, style, voice)
  return [{ role: 'system', content: system }, ...history, { role: 'user', content: render(t.user, vars) }]
}
