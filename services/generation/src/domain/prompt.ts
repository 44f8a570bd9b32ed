import { type StyleFeatures, styleInstructions } from './style.ts'
import { type PromptTemplate, render } from './templates.ts'
import { type BrandVoice, voiceInstructions } from './voice.ts'

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant'
  content: string
}

/** A prompt: the system message (template + voice + style) and the user turn(s). */
export function buildPrompt(
  t: PromptTemplate,
  vars: Record<string, string>,
  style: StyleFeatures,
  voice: BrandVoice | undefined,
  history: ChatMessage[] = [],
): ChatMessage[] {
  const system = [render(t.system, vars), ...(voice ? voiceInstructions(voice) : []), ...styleInstructions(style)].join('\n')
  return [{ role: 'system', content: system }, ...history, { role: 'user', content: render(t.user, vars) }]
}
