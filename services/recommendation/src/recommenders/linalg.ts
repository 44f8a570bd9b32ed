/** Small dense linear algebra over row-major Float64Arrays (f × f systems, f ≤ a few hundred). */

/** G = Σ_rows y yᵀ over `rows` vectors of `dim` floats (row-major), plus `ridge` on the diagonal. */
export function gram(y: Float32Array, rows: number, dim: number, ridge = 0): Float64Array {
  const g = new Float64Array(dim * dim)
  for (let r = 0; r < rows; r++) {
    const o = r * dim
    for (let a = 0; a < dim; a++) {
      const ya = y[o + a] as number
      if (ya === 0) continue
      const ga = a * dim
      for (let b = a; b < dim; b++) g[ga + b] = (g[ga + b] as number) + ya * (y[o + b] as number)
    }
  }
  for (let a = 0; a < dim; a++) {
    g[a * dim + a] = (g[a * dim + a] as number) + ridge
    for (let b = 0; b < a; b++) g[a * dim + b] = g[b * dim + a] as number
  }
  return g
}

/**
 * Solves A x = b in place for a symmetric positive-definite A (n × n, overwritten by its Cholesky
 * factor) and returns x in b. A tiny jitter keeps a semi-definite A solvable.
 */
export function choleskySolve(a: Float64Array, b: Float64Array, n: number): Float64Array {
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j] as number
    for (let k = 0; k < j; k++) d -= (a[j * n + k] as number) ** 2
    d = Math.sqrt(Math.max(d, 1e-12))
    a[j * n + j] = d
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j] as number
      for (let k = 0; k < j; k++) s -= (a[i * n + k] as number) * (a[j * n + k] as number)
      a[i * n + j] = s / d
    }
  }
  for (let i = 0; i < n; i++) {
    let s = b[i] as number
    for (let k = 0; k < i; k++) s -= (a[i * n + k] as number) * (b[k] as number)
    b[i] = s / (a[i * n + i] as number)
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i] as number
    for (let k = i + 1; k < n; k++) s -= (a[k * n + i] as number) * (b[k] as number)
    b[i] = s / (a[i * n + i] as number)
  }
  return b
}

/** Inverts a symmetric positive-definite n × n matrix in place by Gauss–Jordan without pivoting (its pivots stay positive). O(n³). */
export function invertSpd(a: Float64Array, n: number): Float64Array {
  for (let k = 0; k < n; k++) {
    const rk = k * n
    const pivot = a[rk + k] as number
    const inv = 1 / pivot
    // Row k becomes row k / pivot, with the pivot slot holding 1 / pivot.
    for (let j = 0; j < n; j++) a[rk + j] = (a[rk + j] as number) * inv
    a[rk + k] = inv
    for (let i = 0; i < n; i++) {
      if (i === k) continue
      const ri = i * n
      const f = a[ri + k] as number
      if (f === 0) continue
      for (let j = 0; j < n; j++) a[ri + j] = (a[ri + j] as number) - f * (a[rk + j] as number)
      a[ri + k] = -f * inv
    }
  }
  return a
}

export function dot(a: Float32Array, ao: number, b: Float32Array | Float64Array, bo: number, dim: number): number {
  let s = 0
  for (let f = 0; f < dim; f++) s += (a[ao + f] as number) * (b[bo + f] as number)
  return s
}
