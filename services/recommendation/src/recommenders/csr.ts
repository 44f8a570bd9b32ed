/**
 * Compressed sparse rows: row r holds columns indices[indptr[r] .. indptr[r+1]) with their values
 * and latest times, columns ascending within a row.
 */
export interface Csr {
  rows: number
  cols: number
  indptr: Int32Array
  indices: Int32Array
  values: Float32Array
  /** Epoch ms of the latest interaction behind each entry. */
  times: Float64Array
}

/** Builds a CSR from coordinate triplets; duplicates (same row and column) are summed, keeping the latest time. */
export function csrFromTriplets(rows: number, cols: number, r: Int32Array, c: Int32Array, v: Float32Array, t: Float64Array): Csr {
  const n = r.length
  const counts = new Int32Array(rows + 1)
  for (let i = 0; i < n; i++) counts[(r[i] as number) + 1] = (counts[(r[i] as number) + 1] as number) + 1
  for (let i = 0; i < rows; i++) counts[i + 1] = (counts[i + 1] as number) + (counts[i] as number)
  const order = new Int32Array(n)
  const fill = counts.slice(0, rows)
  for (let i = 0; i < n; i++) {
    const row = r[i] as number
    order[fill[row] as number] = i
    fill[row] = (fill[row] as number) + 1
  }
  const indptr = new Int32Array(rows + 1)
  const indices = new Int32Array(n)
  const values = new Float32Array(n)
  const times = new Float64Array(n)
  let out = 0
  for (let row = 0; row < rows; row++) {
    const start = counts[row] as number
    const end = counts[row + 1] as number
    const slice = Array.from(order.subarray(start, end)).sort((a, b) => (c[a] as number) - (c[b] as number) || (t[a] as number) - (t[b] as number))
    let last = -1
    for (const i of slice) {
      const col = c[i] as number
      if (col === last) {
        values[out - 1] = (values[out - 1] as number) + (v[i] as number)
        times[out - 1] = Math.max(times[out - 1] as number, t[i] as number)
        continue
      }
      indices[out] = col
      values[out] = v[i] as number
      times[out] = t[i] as number
      out++
      last = col
    }
    indptr[row + 1] = out
  }
  return { rows, cols, indptr, indices: indices.slice(0, out), values: values.slice(0, out), times: times.slice(0, out) }
}

export function transpose(m: Csr): Csr {
  const nnz = m.indices.length
  const r = new Int32Array(nnz)
  for (let row = 0; row < m.rows; row++) r.fill(row, m.indptr[row] as number, m.indptr[row + 1] as number)
  return csrFromTriplets(m.cols, m.rows, m.indices, r, m.values, m.times)
}
