import type { Reason } from '../recommenders/types.ts'

/** One "why am I seeing this" entry, structured for clients and with a ready sentence. */
export interface Explanation {
  kind:
    | 'because-you-engaged'
    | 'similar-users'
    | 'similar-content'
    | 'popular'
    | 'trending'
    | 'exploration'
    | 'your-topics'
    | 'followed-author'
    | 'followed-users-engaged'
    | 'not-personalized'
    | 'similar-to-item'
    | 'popular-in-segment'
  text: string
  itemIds?: string[]
  category?: string
  author?: string
  userCount?: number
}

/** An item proposed for a slate, with its score and why. */
export interface ExplainedCandidate {
  itemId: string
  score: number
  reasons: Explanation[]
}

export interface ExplainContext {
  /** Title of an item, when the catalog has one. */
  titleOf(itemId: string): string | null
  /** The item's first category. */
  categoryOf(itemId: string): string | null
}

const quoted = (ctx: ExplainContext, ids: readonly string[]) =>
  ids
    .slice(0, 2)
    .map((id) => `“${ctx.titleOf(id) ?? id}”`)
    .join(' and ')

/** The explanation of a model's reason for one recommended item. */
export function explainReason(reason: Reason | undefined, itemId: string, because: readonly string[] | undefined, ctx: ExplainContext): Explanation {
  const category = ctx.categoryOf(itemId)
  switch (reason) {
    case 'history':
      if (because && because.length > 0) return { kind: 'because-you-engaged', text: `Because you read ${quoted(ctx, because)}`, itemIds: because.slice(0, 3) }
      return { kind: 'similar-users', text: 'Readers with interests like yours engaged with this' }
    case 'similar-users':
      return {
        kind: 'similar-users',
        text: 'Readers with interests like yours engaged with this',
        ...(because && because.length > 0 ? { itemIds: because.slice(0, 3) } : {}),
      }
    case 'content':
      return because && because.length > 0
        ? { kind: 'similar-content', text: `Similar to ${quoted(ctx, because)}, which you read`, itemIds: because.slice(0, 3) }
        : { kind: 'similar-content', text: 'Similar to what you read' }
    case 'trending':
      return category ? { kind: 'trending', text: `Trending in ${category}`, category } : { kind: 'trending', text: 'Trending now' }
    case 'explore':
      return { kind: 'exploration', text: 'New, and shown to learn whether it interests you' }
    case 'topics':
      return category
        ? { kind: 'your-topics', text: `Popular in ${category}, a topic you follow`, category }
        : { kind: 'your-topics', text: 'Popular in topics you follow' }
    default:
      return category ? { kind: 'popular', text: `Popular in ${category}`, category } : { kind: 'popular', text: 'Popular with readers' }
  }
}

export function followedAuthorReason(author: string): Explanation {
  return { kind: 'followed-author', text: `From ${author}, whom you follow`, author }
}

export function followedUsersReason(count: number): Explanation {
  return {
    kind: 'followed-users-engaged',
    text: count === 1 ? 'Someone you follow engaged with this' : `${count} people you follow engaged with this`,
    userCount: count,
  }
}

export function segmentPopularReason(users: number): Explanation {
  return { kind: 'popular-in-segment', text: `Popular with readers like you (${users} in your audience segment engaged with it)`, userCount: users }
}

export const notPersonalizedReason: Explanation = {
  kind: 'not-personalized',
  text: 'Not personalized: you chose non-personalized results, so this is ranked by popularity',
}
