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

/** Words the demo headlines and texts are made of, per category, so content similarity has something to find. */
const demoVocabulary: Record<(typeof demoCategories)[number], { subjects: string[]; words: string[] }> = {
  politics: {
    subjects: ['Parliament', 'The coalition', 'The minister', 'Voters', 'The opposition', 'The mayor'],
    words: ['election', 'budget', 'reform', 'vote', 'policy', 'campaign', 'debate', 'coalition', 'tax', 'referendum'],
  },
  sport: {
    subjects: ['The champions', 'The captain', 'The league', 'The coach', 'Fans', 'The rookie'],
    words: ['match', 'goal', 'season', 'final', 'transfer', 'injury', 'league', 'tournament', 'record', 'stadium'],
  },
  tech: {
    subjects: ['The startup', 'Engineers', 'The chipmaker', 'Developers', 'The regulator', 'The app'],
    words: ['software', 'chip', 'privacy', 'cloud', 'model', 'security', 'launch', 'open-source', 'battery', 'network'],
  },
  culture: {
    subjects: ['The festival', 'The director', 'Critics', 'The museum', 'The band', 'The novelist'],
    words: ['film', 'album', 'exhibition', 'novel', 'theatre', 'premiere', 'award', 'gallery', 'concert', 'series'],
  },
  science: {
    subjects: ['Researchers', 'The telescope', 'Climate scientists', 'The lab', 'Astronomers', 'Biologists'],
    words: ['study', 'climate', 'species', 'planet', 'vaccine', 'genome', 'ocean', 'fossil', 'energy', 'experiment'],
  },
  business: {
    subjects: ['The retailer', 'Markets', 'The central bank', 'Investors', 'The carmaker', 'Shareholders'],
    words: ['profit', 'merger', 'inflation', 'shares', 'earnings', 'rates', 'layoffs', 'exports', 'growth', 'startup'],
  },
}
const demoVerbs = ['weighs', 'unveils', 'rethinks', 'bets on', 'questions', 'celebrates', 'faces', 'pushes for']

/** A catalog item of the demo site, as `POST /recommendation/v1/items/batch` takes it. */
export interface DemoItem {
  itemId: string
  type: 'article'
  title: string
  text: string
  url: string
  categories: string[]
  tags: string[]
  author: string
  language: string
  publishedAt: string
}

/**
 * The demo's articles (article-0001 …), matching the interactions: categories dealt round-robin as
 * in `demoInteractions`, the same 40 authors, published in the month before the interactions;
 * headlines and texts use each category's words, a tenth of them in French.
 */
export function demoItems(o: Pick<DemoOptions, 'items' | 'seed' | 'now'>): DemoItem[] {
  const rand = seededRandom(o.seed + 1)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T
  const dayMs = 24 * 3_600_000
  return Array.from({ length: o.items }, (_, i) => {
    const n = i + 1
    const itemId = `article-${String(n).padStart(4, '0')}`
    const category = demoCategories[i % demoCategories.length] as (typeof demoCategories)[number]
    const { subjects, words } = demoVocabulary[category]
    const [w1, w2, w3] = [pick(words), pick(words), pick(words)]
    const title = `${pick(subjects)} ${pick(demoVerbs)} the ${w1} ${w2 === w1 ? 'plan' : w2}`
    const text = [
      `${pick(subjects)} ${pick(demoVerbs)} the ${w1} as the ${w2} debate grows.`,
      `What the ${w3} means for readers following ${category}.`,
      `Analysis of the ${pick(words)}, the ${pick(words)} and the ${pick(words)}.`,
    ].join(' ')
    return {
      itemId,
      type: 'article',
      title,
      text,
      url: `https://demo.attune.dev/${category}/${itemId}`,
      categories: [category],
      tags: [...new Set([w1, w3])],
      author: `author-${String((n % 40) + 1).padStart(2, '0')}`,
      language: rand() < 0.1 ? 'fr' : 'en',
      publishedAt: new Date(o.now.getTime() - 7 * dayMs - Math.floor(rand() * 21 * dayMs)).toISOString(),
    }
  })
}
