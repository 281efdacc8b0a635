// The summary of a batch run: counts by decision, the distribution of each subject's best score,
// the top hits and every matched entity. Batches are summed as they are written (to a spool file
// that checkpoints cover), so a resumed run sums to the same figures.

import type { RowHit } from "./rows.js";

/** Histogram bins of the best score: 0.00–0.05, 0.05–0.10, … 0.95–1.00. */
export const BINS = 20;
const TOP = 25;

export interface BatchPart {
  readonly alert: number;
  readonly clear: number;
  readonly histogram: readonly number[];
  /** The subjects with a match, and what they matched. */
  readonly hits: readonly RowHit[];
}

export function partOf(hits: readonly RowHit[]): BatchPart {
  const histogram = new Array<number>(BINS).fill(0);
  let alert = 0;
  for (const h of hits) {
    const bin = Math.min(BINS - 1, Math.floor(h.best * BINS));
    histogram[bin] = (histogram[bin] ?? 0) + 1;
    if (h.decision === "alert") alert++;
  }
  return { alert, clear: hits.length - alert, histogram, hits: hits.filter((h) => h.matches.length > 0) };
}

export interface MatchedEntity {
  entity_id: string;
  caption: string;
  schema: string;
  datasets: readonly string[];
  programs: readonly string[];
  subjects: number;
  best: number;
}

export interface Summary {
  input: string;
  lists: { dataset: string; version: string }[];
  options: Record<string, unknown>;
  subjects: number;
  skipped: number;
  decisions: { alert: number; clear: number };
  /** Subjects by their best score, in bins of 0.05. */
  histogram: { from: number; to: number; count: number }[];
  topHits: { id: string; name: string; entity_id: string; caption: string; score: number }[];
  entities: MatchedEntity[];
}

export class SummaryBuilder {
  private alert = 0;
  private clear = 0;
  private readonly histogram = new Array<number>(BINS).fill(0);
  private top: Summary["topHits"] = [];
  private readonly entities = new Map<string, MatchedEntity>();

  add(part: BatchPart): void {
    this.alert += part.alert;
    this.clear += part.clear;
    part.histogram.forEach((n, i) => {
      this.histogram[i] = (this.histogram[i] ?? 0) + n;
    });
    for (const h of part.hits) {
      for (const m of h.matches) {
        this.top.push({ id: h.id, name: h.name, entity_id: m.entity_id, caption: m.caption, score: m.score });
        const e = this.entities.get(m.entity_id);
        if (e) {
          e.subjects++;
          e.best = Math.max(e.best, m.score);
        } else {
          const { entity_id, caption, schema, datasets, programs, score } = m;
          this.entities.set(entity_id, {
            entity_id,
            caption,
            schema,
            datasets,
            programs,
            subjects: 1,
            best: score,
          });
        }
      }
      if (this.top.length > TOP * 4) this.trim();
    }
  }

  private trim(): void {
    // Best score first; ties in the order the subjects came.
    this.top = this.top.sort((a, b) => b.score - a.score).slice(0, TOP);
  }

  build(meta: Pick<Summary, "input" | "lists" | "options" | "skipped">): Summary {
    this.trim();
    return {
      ...meta,
      subjects: this.alert + this.clear,
      decisions: { alert: this.alert, clear: this.clear },
      histogram: this.histogram.map((count, i) => ({
        from: Math.round((i / BINS) * 100) / 100,
        to: Math.round(((i + 1) / BINS) * 100) / 100,
        count,
      })),
      topHits: this.top,
      entities: [...this.entities.values()].sort(
        (a, b) => b.subjects - a.subjects || b.best - a.best || a.entity_id.localeCompare(b.entity_id),
      ),
    };
  }
}

/** The summary in a few lines for the terminal. */
export function summaryText(s: Summary): string {
  const lines = [
    `${s.subjects} subjects screened: ${s.decisions.alert} alert, ${s.decisions.clear} clear${
      s.skipped ? `; ${s.skipped} rows skipped` : ""
    }`,
  ];
  const max = Math.max(1, ...s.histogram.map((b) => b.count));
  lines.push("best score per subject:");
  for (const b of s.histogram) {
    if (b.count === 0) continue;
    lines.push(
      `  ${b.from.toFixed(2)}–${b.to.toFixed(2)} ${String(b.count).padStart(8)} ${"█".repeat(Math.ceil((30 * b.count) / max))}`,
    );
  }
  if (s.topHits.length) {
    lines.push("top hits:");
    for (const h of s.topHits.slice(0, 10)) {
      lines.push(`  ${h.score.toFixed(3)}  ${h.id} ${h.name} ≈ ${h.caption} (${h.entity_id})`);
    }
  }
  return `${lines.join("\n")}\n`;
}
