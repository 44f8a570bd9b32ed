import type { RequestOptions } from 'node:http'
import { urlToHttpOptions } from 'node:url'

/** Where an http(s) request goes, as node:http(s) `request` takes it. */
export interface RequestTarget {
  protocol: 'http:' | 'https:'
  href: string
  /** Host, port, path and credentials of the URL: copy it before handing it over (node:http assigns to it). */
  options: Readonly<RequestOptions>
}

const MAX_TARGETS = 100
const parsed = new Map<string, RequestTarget | null>()

function targetOf(url: URL): RequestTarget | null {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null
  return { protocol: url.protocol, href: url.href, options: urlToHttpOptions(url) }
}

/**
 * The http(s) target of a fetch input (null for another scheme, undefined for a `Request`). The
 * SDK asks the same few URLs over and over, as strings: each is parsed once, not on every call.
 */
export function requestTarget(input: string | URL | Request): RequestTarget | null | undefined {
  if (input instanceof URL) return targetOf(input)
  if (typeof input !== 'string') return undefined
  let target = parsed.get(input)
  if (target === undefined) {
    target = targetOf(new URL(input))
    if (parsed.size >= MAX_TARGETS) parsed.delete(parsed.keys().next().value as string)
    parsed.set(input, target)
  }
  return target
}
