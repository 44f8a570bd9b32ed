/** Per-label precision, recall and F1 of single-label predictions against (possibly multi-label) gold sets. */
export interface LabelScores {
  label: string
  precision: number
  recall: number
  f1: number
  support: number
}

/**
 * For each label l: tp = #(pred = l ∧ l ∈ gold), fp = #(pred = l ∧ l ∉ gold), fn = #(pred ≠ l ∧ l ∈ gold);
 * F1 = 2tp / (2tp + fp + fn). Macro-F1 is the unweighted mean over labels.
 */
export function perLabelF1(labels: readonly string[], gold: readonly (readonly string[])[], pred: readonly string[]): LabelScores[] {
  return labels.map((label) => {
    let tp = 0
    let fp = 0
    let fn = 0
    let support = 0
    for (let i = 0; i < pred.length; i++) {
      const g = (gold[i] as readonly string[]).includes(label)
      const p = pred[i] === label
      if (g) support++
      if (p && g) tp++
      else if (p) fp++
      else if (g) fn++
    }
    const precision = tp + fp > 0 ? tp / (tp + fp) : 0
    const recall = tp + fn > 0 ? tp / (tp + fn) : 0
    const f1 = 2 * tp + fp + fn > 0 ? (2 * tp) / (2 * tp + fp + fn) : 0
    return { label, precision, recall, f1, support }
  })
}

export function macroF1(scores: readonly LabelScores[]): number {
  return scores.reduce((s, x) => s + x.f1, 0) / Math.max(1, scores.length)
}

/** Share of predictions whose label is in the gold set. */
export function accuracy(gold: readonly (readonly string[])[], pred: readonly string[]): number {
  let ok = 0
  for (let i = 0; i < pred.length; i++) if ((gold[i] as readonly string[]).includes(pred[i] as string)) ok++
  return ok / Math.max(1, pred.length)
}
