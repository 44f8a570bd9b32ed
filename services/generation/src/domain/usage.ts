/** Token usage of one provider call. */
export interface Usage {
  promptTokens: number
  completionTokens: number
}

export const noUsage: Usage = { promptTokens: 0, completionTokens: 0 }

/**
 * A rough token count (≈ 4 characters a token for English) for providers that report none, such
 * as the offline one, so budgets still apply.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4)
}

/** `estimateTokens` of the messages' contents joined by newlines, without building that text. */
export function estimatePromptTokens(messages: readonly { content: string }[]): number {
  let chars = Math.max(0, messages.length - 1)
  for (const m of messages) chars += m.content.length
  return Math.ceil(chars / 4)
}

/** Parses `GENERATION_TOKEN_BUDGETS` (`keyName:tokens,…`) into a map; a bad entry throws naming it. */
export function parseBudgets(spec: string): Map<string, number> {
  const out = new Map<string, number>()
  for (const entry of spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [name, n] = entry.split(':')
    if (!name || !n || !/^\d+$/.test(n)) throw new Error(`GENERATION_TOKEN_BUDGETS entry "${entry}" must be keyName:tokens`)
    out.set(name, Number(n))
  }
  return out
}
