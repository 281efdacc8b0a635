// The regime taxonomy: which jurisdiction a dataset speaks for, and what each of its programmes
// is about (themes) and does (measures). The table is data (`data/regimes.json`, sources named
// there); this module only looks programmes up in it.

import { InterdictError } from "../errors.js";
import table from "./data/regimes.json" with { type: "json" };

export type Jurisdiction = "US" | "EU" | "UK" | "CA" | "AU" | "UN";

export interface Regime {
  readonly jurisdiction: Jurisdiction;
  readonly name: string;
  readonly themes: readonly string[];
  readonly measures: readonly string[];
  readonly country?: string;
}

interface RegimeRow extends Regime {
  readonly code?: string;
  readonly pattern?: string;
}

export const JURISDICTIONS = table.jurisdictions as readonly Jurisdiction[];
export const THEMES: Readonly<Record<string, string>> = table.themes;
export const REGIME_SOURCES: Readonly<Record<string, string>> = table.sources;

const DATASETS = table.datasets as Readonly<
  Record<string, { jurisdiction: Jurisdiction; supersededBy?: string }>
>;
const ROWS = (table.regimes as RegimeRow[]).map((r) => ({
  ...r,
  re: r.pattern ? new RegExp(r.pattern, "i") : undefined,
}));

/** The jurisdiction a dataset speaks for; undefined for aggregators (OpenSanctions). */
export function jurisdictionOf(dataset: string): Jurisdiction | undefined {
  return DATASETS[dataset]?.jurisdiction;
}

/** A retired dataset's successor (HM Treasury's list gave way to the FCDO's). */
export function supersededBy(dataset: string): string | undefined {
  return DATASETS[dataset]?.supersededBy;
}

const cache = new Map<string, Regime | undefined>();

/** The regime of a programme as a dataset writes it, or undefined for a dataset of no jurisdiction. */
export function regimeOf(dataset: string, program: string): Regime | undefined {
  const key = `${dataset}\u0000${program}`;
  if (cache.has(key)) return cache.get(key);
  const jurisdiction = jurisdictionOf(dataset);
  let found: Regime | undefined;
  if (jurisdiction) {
    const rows = ROWS.filter((r) => r.jurisdiction === jurisdiction);
    const row =
      rows.find((r) => r.code !== undefined && r.code.toUpperCase() === program.trim().toUpperCase()) ??
      rows.find((r) => r.re?.test(program));
    if (row) {
      found = {
        jurisdiction,
        name: row.name,
        themes: row.themes,
        measures: row.measures,
        ...(row.country ? { country: row.country } : {}),
      };
    }
  }
  cache.set(key, found);
  return found;
}

/** Refuses a theme the table does not know, naming the ones it does. */
export function checkTheme(theme: string): string {
  if (!(theme in THEMES)) {
    throw new InterdictError(
      "INTERDICT_E_USAGE",
      `unknown theme "${theme}"; known: ${Object.keys(THEMES).join(", ")}`,
    );
  }
  return theme;
}
