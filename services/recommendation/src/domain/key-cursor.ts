/** Opaque keyset cursors: base64url of `k:<last key>`; the next page starts after that key. */
export function encodeKeyCursor(key: string): string {
  return Buffer.from(`k:${key}`).toString('base64url')
}

export function decodeKeyCursor(cursor: string): string | undefined {
  const text = Buffer.from(cursor, 'base64url').toString()
  return text.startsWith('k:') && text.length > 2 && text.length <= 130 && !/\s/.test(text) ? text.slice(2) : undefined
}
