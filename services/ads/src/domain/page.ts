import type { AdPageContext } from '@attune/contracts'
import type { PageContext } from './live.ts'
import { inferCategories } from './taxonomy.ts'
import { tokenize, urlTokens } from './text.ts'

/** The page as the decision sees it: words of its text, URL and keywords, given categories, categories inferred from all the words. */
export function pageContext(c: AdPageContext | undefined): PageContext {
  const words = new Set(tokenize(c?.text ?? ''))
  const url = (c?.url ?? '').toLowerCase()
  const urlWords = new Set(urlTokens(url))
  const keywords = new Set((c?.keywords ?? []).map((k) => k.toLowerCase()))
  const all = new Set([...words, ...urlWords, ...[...keywords].flatMap(tokenize)])
  return {
    keywords,
    words,
    urlWords,
    url,
    categories: c?.categories ?? [],
    inferred: inferCategories(all),
    language: c?.language?.toLowerCase().replace('_', '-'),
    country: c?.country?.toUpperCase(),
  }
}
