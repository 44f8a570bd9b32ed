import type { LabelScores } from './metrics.ts'

/** A Markdown table: one row per system, one column per label's F1, then macro-F1 and more. */
export function markdownTable(
  title: string,
  labels: readonly string[],
  rows: { name: string; scores: LabelScores[]; extra: Record<string, string> }[],
): string {
  const extraKeys = Object.keys(rows[0]?.extra ?? {})
  const head = ['system', ...labels.map((l) => `F1 ${l}`), 'macro-F1', ...extraKeys]
  const lines = [`### ${title}`, '', `| ${head.join(' | ')} |`, `| ${head.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`]
  for (const r of rows) {
    const f1 = labels.map((l) => (r.scores.find((s) => s.label === l)?.f1 ?? 0).toFixed(3))
    const macro = r.scores.reduce((s, x) => s + x.f1, 0) / Math.max(1, r.scores.length)
    lines.push(`| ${[r.name, ...f1, macro.toFixed(3), ...extraKeys.map((k) => r.extra[k] ?? '')].join(' | ')} |`)
  }
  return lines.join('\n')
}
