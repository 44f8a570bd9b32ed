/** 32-bit FNV-1a over the UTF-16 code units of `s[start, end)`, starting from `seed` (a namespace). */
export function fnv1a(s: string, start = 0, end = s.length, seed = 0x811c9dc5): number {
  let h = seed >>> 0
  for (let i = start; i < end; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

/** Continues an FNV-1a hash with one more code unit. */
export function fnvStep(h: number, code: number): number {
  return Math.imul(h ^ code, 0x01000193) >>> 0
}
