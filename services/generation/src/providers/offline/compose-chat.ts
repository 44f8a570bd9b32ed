import type { Brief } from '../provider.ts'
import { finish, opener } from './style-text.ts'

type ChatBrief = Extract<Brief, { kind: 'chat' }>

/** A chatbot answer listing the picked articles and why each was picked. */
export function composeChat(b: ChatBrief): string {
  const s = { ...b.style, length: 'long' as const }
  if (b.citations.length === 0) return finish(['I could not find articles for you right now.', 'Try asking about another topic.'], s, 0)
  const intro =
    b.style.formality === 'casual'
      ? `Here ${b.citations.length === 1 ? 'is a story' : `are ${b.citations.length} stories`} for you:`
      : 'These articles were selected for you:'
  const lines = b.citations.map((c) => `[${c.index}] ${c.title ?? c.itemId} — ${c.why}`)
  const body = finish([opener(s, 0), intro], s, 0)
  return `${body}\n${lines.join('\n')}`
}
