// The catalog of legal bases a designation can rest on (data/legal-bases.json, sources named
// there): criteria, measures, standard of proof and the reporting duties each carries.

import { InterdictError } from "../errors.js";
import catalog from "./data/legal-bases.json" with { type: "json" };

export type MeasureName = "travel_ban" | "asset_freeze";

export interface LegalBasis {
  readonly id: string;
  readonly title: string;
  readonly jurisdiction: string;
  readonly instrument: string;
  readonly program: string;
  readonly source: string;
  readonly basis: string;
  readonly standard_of_proof: string;
  readonly criteria: Readonly<Record<string, string>>;
  readonly measures: Readonly<Partial<Record<MeasureName, string>>>;
  readonly reporting: {
    readonly requests_days?: number;
    readonly annual_report?: string;
    /** MM-DD the annual report is due. */
    readonly annual_due?: string;
    readonly termination_notice_days?: number;
    readonly review_months?: number;
    readonly disclosure_months?: number;
  };
}

export const LEGAL_BASES: readonly LegalBasis[] = Object.entries(
  catalog.bases as unknown as Record<string, Omit<LegalBasis, "id">>,
).map(([id, b]) => ({ id, ...b }));

const BY_ID = new Map(LEGAL_BASES.map((b) => [b.id, b]));

/** A basis by its id (`us-glomag-10102`), case-insensitively. */
export function findBasis(id: string): LegalBasis | undefined {
  return BY_ID.get(id.trim().toLowerCase());
}

export function requireBasis(id: string): LegalBasis {
  const b = findBasis(id);
  if (!b) {
    throw new InterdictError(
      "INTERDICT_E_INPUT",
      `unknown legal basis "${id}" (known: ${LEGAL_BASES.map((x) => x.id).join(", ")})`,
      { field: "authority" },
    );
  }
  return b;
}

/** A criterion key as written in the catalog, accepting it with or without the section sign. */
export function findCriterion(basis: LegalBasis, text: string): string | undefined {
  const norm = (s: string) => s.replace(/[§\s]|^reg\.?/gi, "").toLowerCase();
  return Object.keys(basis.criteria).find((k) => norm(k) === norm(text));
}
