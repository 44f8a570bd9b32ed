import { classify, type ModerationVerdict } from '../domain/moderation.ts'
import type { Provider } from '../providers/provider.ts'

export type Moderate = (texts: string[]) => Promise<ModerationVerdict[]>

/** The provider's moderation endpoint when configured and available, the in-process classifier otherwise. */
export function createModerator(provider: Provider, mode: 'provider' | 'local'): Moderate {
  const endpoint = mode === 'provider' ? provider.moderate?.bind(provider) : undefined
  return async (texts) => {
    const present = texts.filter((t) => t.trim() !== '')
    if (present.length === 0) return texts.map(() => classify(''))
    if (!endpoint) return texts.map(classify)
    const verdicts = await endpoint(present)
    let k = 0
    return texts.map((t) => (t.trim() === '' ? classify('') : (verdicts[k++] ?? classify(t))))
  }
}
