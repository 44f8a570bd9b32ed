import type { Interaction } from '@attune/contracts'
import { seededRandom } from '@attune/kit'

export const demoCategories = ['politics', 'sport', 'tech', 'culture', 'science', 'business'] as const

export interface DemoOptions {
  users: number
  items: number
  interactions: number
  seed: number
  now: Date
}

export const defaultDemo: Omit<DemoOptions, 'now'> = { users: 300, items: 400, interactions: 6000, seed: 42 }

function uuidFrom(rand: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16)).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${'89ab'[Math.floor(rand() * 4)]}${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}

/**
 * Interactions of a small news site over the past week: each user prefers two categories,
 * items are Zipf-popular within a category, and the mix of event types resembles real traffic.
 */
export function demoInteractions(o: DemoOptions): Interaction[] {
  const rand = seededRandom(o.seed)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T
  const itemsByCategory = new Map<string, string[]>()
  for (let i = 0; i < o.items; i++) {
    const category = demoCategories[i % demoCategories.length] as string
    const list = itemsByCategory.get(category) ?? []
    list.push(`article-${String(i + 1).padStart(4, '0')}`)
    itemsByCategory.set(category, list)
  }
  const locales = ['en-GB', 'en-US', 'fr-FR', 'de-DE', 'es-ES'] as const
  const users = Array.from({ length: o.users }, (_, i) => ({
    id: `user-${String(i + 1).padStart(4, '0')}`,
    likes: [pick(demoCategories), pick(demoCategories)],
    locale: pick(locales),
  }))
  const out: Interaction[] = []
  const weekMs = 7 * 24 * 3_600_000
  for (let n = 0; n < o.interactions; n++) {
    const user = pick(users)
    const category = rand() < 0.8 ? pick(user.likes) : pick(demoCategories)
    const items = itemsByCategory.get(category) ?? []
    // Zipf-like: low ranks far more likely.
    const itemId = items[Math.min(items.length - 1, Math.floor(items.length * rand() ** 2.5))] as string
    const time = new Date(o.now.getTime() - Math.floor(weekMs * rand() ** 1.5)).toISOString()
    // Each article has one of 40 authors; locales make preferred languages visible.
    const author = `author-${String((Number(itemId.slice(-4)) % 40) + 1).padStart(2, '0')}`
    const base = { id: uuidFrom(rand), userId: user.id, itemId, time, properties: { category, author }, context: { locale: user.locale } }
    const r = rand()
    if (r < 0.55) out.push({ ...base, type: 'view' })
    else if (r < 0.75) out.push({ ...base, type: 'click' })
    else if (r < 0.85) out.push({ ...base, type: 'dwell', seconds: Math.round(5 + rand() * 180) })
    else if (r < 0.92) out.push({ ...base, type: 'like' })
    else if (r < 0.96) out.push({ ...base, type: 'share' })
    else if (r < 0.98) out.push({ ...base, type: 'rating', value: 1 + Math.floor(rand() * 5) })
    else out.push({ ...base, type: 'not_interested' })
  }
  return out
}
