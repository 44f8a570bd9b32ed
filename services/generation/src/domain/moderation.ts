/** Categories the in-process classifier scores (the names OpenAI's moderation endpoint uses). */
export const ModerationCategories = ['hate', 'harassment', 'violence', 'self-harm', 'sexual'] as const
export type ModerationCategory = (typeof ModerationCategories)[number]

export interface ModerationVerdict {
  /** Highest category score, in [0, 1]. */
  score: number
  categories: Record<ModerationCategory, number>
  /** Where the scores come from. */
  source: 'provider' | 'local'
}

// Weighted cues per category. A text's category score is 1 − Π(1 − wᵢ) over the cues it contains
// (noisy-OR), so one strong cue or several weak ones cross the threshold.
const lexicon: Record<ModerationCategory, [RegExp, number][]> = {
  hate: [
    [/\b(subhuman|vermin|inferior race)\b/, 0.7],
    [/\b(hate|despise) (all )?(women|men|jews|muslims|christians|immigrants|gays|blacks|whites)\b/, 0.8],
    [/\bgo back to your country\b/, 0.6],
  ],
  harassment: [
    [/\b(idiot|moron|stupid|loser|pathetic|worthless)\b/, 0.35],
    [/\b(shut up|nobody likes you|you suck)\b/, 0.4],
    [/\bi hate you\b/, 0.55],
  ],
  violence: [
    [/\b(kill|murder|stab|shoot|behead|slaughter)(s|ed|ing)?\b/, 0.45],
    [/\b(i will|i'll|gonna|going to) (kill|hurt|find) you\b/, 0.9],
    [/\b(bomb|massacre|torture)\b/, 0.4],
    [/\b(blood|gore)\b/, 0.15],
  ],
  'self-harm': [
    [/\b(kill myself|suicide|end my life|self[- ]harm|cut myself)\b/, 0.8],
    [/\b(want to die|no reason to live)\b/, 0.7],
  ],
  sexual: [
    [/\b(porn|nude|naked|sex(ual)?|xxx)\b/, 0.45],
    [/\b(explicit|erotic)\b/, 0.3],
  ],
}

// Matches where any cue matches: one scan decides the common case (no cue), where every score is 0.
const anyCue = new RegExp(ModerationCategories.flatMap((c) => lexicon[c].map(([re]) => re.source)).join('|'))

/** The in-process classifier: used when the provider has no moderation endpoint. */
export function classify(text: string): ModerationVerdict {
  const lower = text.toLowerCase()
  if (!anyCue.test(lower)) return { score: 0, categories: { hate: 0, harassment: 0, violence: 0, 'self-harm': 0, sexual: 0 }, source: 'local' }
  const categories = {} as Record<ModerationCategory, number>
  let score = 0
  for (const category of ModerationCategories) {
    let keep = 1
    for (const [re, w] of lexicon[category]) if (re.test(lower)) keep *= 1 - w
    const s = Number((1 - keep).toFixed(4))
    categories[category] = s
    score = Math.max(score, s)
  }
  return { score, categories, source: 'local' }
}

/** True when a verdict reaches a threshold. */
export function isFlagged(v: ModerationVerdict, threshold: number): boolean {
  return v.score >= threshold
}

/** The categories at or over the threshold, for explanations. */
export function flaggedCategories(v: ModerationVerdict, threshold: number): ModerationCategory[] {
  return ModerationCategories.filter((c) => v.categories[c] >= threshold)
}
