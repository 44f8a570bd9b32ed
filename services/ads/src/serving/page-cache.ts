import type { AdPageContext } from '@attune/contracts'
import type { PageContext } from '../domain/live.ts'
import { pageContext } from '../domain/page.ts'

/** What a distinct word of a cached page is counted as, in characters of the bound. */
const WORD_COST = 48

/**
 * Pages as decisions see them (words, inferred categories), by everything the request says about
 * the page, as ad servers cache contextual classification per page: a site asks for the same
 * pages over and over. The key is the whole context (text included), so a page whose text changed
 * is read again. Two generations bound it by entries and by characters (the key's, plus an
 * estimate for the page's word sets): when the current one is
 * full it becomes the previous one and the previous one is dropped whole.
 */
export class PageCache {
  private current = new Map<string, PageContext>()
  private previous = new Map<string, PageContext>()
  private chars = 0
  private readonly maxEntries: number
  private readonly maxChars: number

  constructor(o: { maxEntries: number; maxChars: number }) {
    this.maxEntries = Math.max(1, o.maxEntries)
    this.maxChars = o.maxChars
  }

  get(c: AdPageContext | undefined): PageContext {
    if (!c) return pageContext(undefined)
    const key = JSON.stringify([c.url, c.language, c.country, c.keywords, c.categories, c.text])
    let page = this.current.get(key)
    if (page) return page
    page = this.previous.get(key) ?? pageContext(c)
    // The word sets weigh more than the key: about one entry's overhead per distinct word.
    const cost = key.length + WORD_COST * (page.words.size + page.keywords.size + page.urlWords.size)
    if (this.current.size >= this.maxEntries || this.chars + cost > this.maxChars) {
      this.previous = this.current
      this.current = new Map()
      this.chars = 0
    }
    this.current.set(key, page)
    this.chars += cost
    return page
  }
}
