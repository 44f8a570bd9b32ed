/** Lower-case word tokens (letters and digits, any script), for keyword matching and inference. */
export function tokenize(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu) ?? []
}

/** The words of a URL's host, path and query (`/sport/football-results` → sport, football, results). */
export function urlTokens(url: string): string[] {
  return tokenize(url.replace(/^[a-z]+:\/\//i, ''))
}
