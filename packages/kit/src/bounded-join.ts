/**
 * The most characters a string built for one statement parameter should have. V8 allocates a
 * string of more than 128 KB in its large-object space: pages mapped for it alone and unmapped
 * when it dies, so building one costs a page fault per 4 KB (on the Firecracker VMs these services
 * were measured on, joining 850 KB of rows took 3 ms and 208 faults; the same rows joined 150 at a
 * time, 0.1 ms and none), and the driver's message for it and Postgres's copy of it are large
 * allocations again. 60,000 characters stay under the limit even as a two-byte string.
 */
export const MAX_PARAMETER_CHARS = 60_000

/**
 * `parts` cut, in order, into as few runs as keep each within `maxChars` once joined with
 * `separator` (a part longer than that is a run of its own): each run as its [from, to) indices.
 */
export function boundedRuns(parts: readonly string[], separator: string, maxChars = MAX_PARAMETER_CHARS): [number, number][] {
  const out: [number, number][] = []
  let from = 0
  let chars = 0
  for (let i = 0; i < parts.length; i++) {
    const n = (parts[i] as string).length
    if (i > from && chars + separator.length + n > maxChars) {
      out.push([from, i])
      from = i
      chars = n
    } else {
      chars += (i > from ? separator.length : 0) + n
    }
  }
  if (parts.length > from) out.push([from, parts.length])
  return out
}

/**
 * `parts` joined with `separator`, in order, into as few strings as keep each within `maxChars`
 * (a part longer than that is a string of its own).
 */
export function joinBounded(parts: readonly string[], separator: string, maxChars = MAX_PARAMETER_CHARS): string[] {
  return boundedRuns(parts, separator, maxChars).map(([from, to]) => parts.slice(from, to).join(separator))
}

/** JSON arrays of `items` (each already JSON text), in order, each within MAX_PARAMETER_CHARS. */
export function boundedJsonArrays(items: readonly string[]): string[] {
  return joinBounded(items, ',', MAX_PARAMETER_CHARS - 2).map((a) => `[${a}]`)
}
