/** Opaque offset cursors: base64url of `o:<offset>`. */
export function encodeOffsetCursor(offset: number): string {
  return Buffer.from(`o:${offset}`).toString('base64url')
}

export function decodeOffsetCursor(cursor: string): number | undefined {
  const m = /^o:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString())
  return m?.[1] ? Number(m[1]) : undefined
}
