import type { Interaction, Item } from '@attune/contracts'
import { analyze } from '../analyzer/analyze.ts'
import type { SentimentModel } from '../analyzer/model.ts'
import type { ItemsTable } from '../db.ts'
import type { ScoredText } from './buckets.ts'

type Comment = Extract<Interaction, { type: 'comment' }>

function stringProperty(i: Comment, name: string): string | undefined {
  const v = i.properties?.[name]
  return typeof v === 'string' && v.length > 0 && v.length <= 128 ? v : undefined
}

/**
 * Scores a comment; its author and topics come from the catalog item when known, else from the
 * `author` and `category` properties the collector accepted. Undefined for a text in another
 * language (flagged by the analyzer, not scored as English).
 */
export function scoreComment(model: SentimentModel, c: Comment, at: Date, item: ItemsTable | undefined): ScoredText | undefined {
  const a = analyze(model, c.text)
  if (!a.polarity || !a.emotion) return undefined
  const category = stringProperty(c, 'category') ?? stringProperty(c, 'topic')
  return {
    textId: c.id,
    source: 'comment',
    userId: c.userId ?? null,
    itemId: c.itemId,
    authorId: item?.authorId ?? stringProperty(c, 'author') ?? null,
    topics: item?.topics.length ? item.topics : category ? [category] : [],
    label: a.polarity.label,
    compound: a.polarity.compound,
    emotion: a.emotion.label,
    at,
  }
}

/** The text id of a post's score (one per item: an edit replaces it). */
export function postTextId(itemId: string): string {
  return `post:${itemId}`.slice(0, 128)
}

/** Scores a social post from the catalog (title and text); undefined when it has no text or is not English. */
export function scorePost(model: SentimentModel, item: Item): ScoredText | undefined {
  const text = [item.title, item.text].filter((s) => s).join('\n')
  if (!text) return undefined
  const a = analyze(model, text)
  if (!a.polarity || !a.emotion) return undefined
  return {
    textId: postTextId(item.itemId),
    source: 'post',
    userId: null,
    itemId: item.itemId,
    authorId: item.author,
    topics: item.categories,
    label: a.polarity.label,
    compound: a.polarity.compound,
    emotion: a.emotion.label,
    at: new Date(item.publishedAt ?? item.updatedAt),
  }
}
