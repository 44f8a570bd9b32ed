/** A brand voice as the prompt builder sees it. */
export interface BrandVoice {
  voiceId: string
  name: string
  version: number
  tone: string
  vocabulary: string[]
  bannedWords: string[]
  examples: string[]
}

/** Voice instructions for a prompt. */
export function voiceInstructions(v: BrandVoice): string[] {
  const lines = [`Write as the brand "${v.name}". Tone: ${v.tone}.`]
  if (v.vocabulary.length > 0) lines.push(`Prefer these words where they fit: ${v.vocabulary.join(', ')}.`)
  if (v.bannedWords.length > 0) lines.push(`Never use these words: ${v.bannedWords.join(', ')}.`)
  if (v.examples.length > 0) lines.push(`Examples of the voice:\n${v.examples.map((e) => `- ${e}`).join('\n')}`)
  return lines
}
