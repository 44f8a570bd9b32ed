import { bucketStart } from './windows.ts'

export interface BucketCounts {
  bucket: Date
  total: number
  negative: number
  neutral: number
  positive: number
  compoundSum: number
  emotions: Record<string, number>
}

export interface Counts {
  total: number
  negative: number
  neutral: number
  positive: number
  averageCompound: number | null
}

export interface Summary extends Counts {
  emotions: Record<string, number>
  series: ({ start: string } & Counts)[]
}

const empty = () => ({ total: 0, negative: 0, neutral: 0, positive: 0, compoundSum: 0 })
type Acc = ReturnType<typeof empty>

function add(acc: Acc, b: BucketCounts): void {
  acc.total += b.total
  acc.negative += b.negative
  acc.neutral += b.neutral
  acc.positive += b.positive
  acc.compoundSum += b.compoundSum
}

function counts(a: Acc): Counts {
  const { compoundSum, ...rest } = a
  return { ...rest, averageCompound: a.total > 0 ? Math.round((compoundSum / a.total) * 10000) / 10000 : null }
}

/** Totals, emotion counts and a gap-free series (one entry per `stepMs` from `from` to `to`) of 15-minute buckets. */
export function summarize(rows: readonly BucketCounts[], from: Date, to: Date, stepMs: number): Summary {
  const total = empty()
  const emotions: Record<string, number> = {}
  const steps = new Map<number, Acc>()
  const first = bucketStart(from, stepMs).getTime()
  for (let t = first; t < to.getTime(); t += stepMs) steps.set(t, empty())
  for (const r of rows) {
    add(total, r)
    for (const [e, n] of Object.entries(r.emotions)) emotions[e] = (emotions[e] ?? 0) + n
    const step = steps.get(bucketStart(r.bucket, stepMs).getTime())
    if (step) add(step, r)
  }
  return {
    ...counts(total),
    emotions,
    series: [...steps.entries()].map(([t, a]) => ({ start: new Date(t).toISOString(), ...counts(a) })),
  }
}
