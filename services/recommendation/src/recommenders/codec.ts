/** Typed arrays ↔ base64 (little-endian, as every supported platform), for JSON model snapshots. */
export function encodeArray(a: Int32Array | Float32Array | Float64Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64')
}

function bytes(s: unknown, width: number): Buffer {
  if (typeof s !== 'string') throw new TypeError('model field is not a base64 string')
  const b = Buffer.from(s, 'base64')
  if (b.byteLength % width !== 0) throw new RangeError('model array has a partial element')
  // Copy into a fresh, aligned buffer: a Buffer may be a view at any offset of a shared pool.
  const out = Buffer.alloc(b.byteLength)
  b.copy(out)
  return out
}

export function decodeInt32(s: unknown): Int32Array {
  const b = bytes(s, 4)
  return new Int32Array(b.buffer, b.byteOffset, b.byteLength / 4)
}

export function decodeFloat32(s: unknown): Float32Array {
  const b = bytes(s, 4)
  return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4)
}

export function decodeFloat64(s: unknown): Float64Array {
  const b = bytes(s, 8)
  return new Float64Array(b.buffer, b.byteOffset, b.byteLength / 8)
}

export function numberField(json: Record<string, unknown>, name: string): number {
  const v = json[name]
  if (typeof v !== 'number') throw new TypeError(`model field ${name} is not a number`)
  return v
}
