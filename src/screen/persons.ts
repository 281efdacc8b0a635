// Visa and payment screenings answered on persons, not list entries (issue 6): where resolution
// (`interdict resolve`) found several list entries to be one person, their hits become one hit with
// `entity_id` the canonical id, `referents` every entry of the person, and `listings` each entry
// that hit with its own score, datasets, programmes and legal grounds. The decision is made before
// grouping, on every entry's hit, so it sees every designation (a travel ban on one list refuses
// even when another list's entry scored higher); the grouped hit carries the union of the
// designations and grounds, and the strongest measure of any entry.

import type { Designation } from "../monitor/alerts.js";
import { groupByCanonical, type Resolution } from "../resolve/canonical.js";
import type { Outcome, PaymentHit, PaymentScreening } from "./payment/index.js";
import { referReason, strongest, type VisaHit, type VisaScreening } from "./visa.js";

/** One entry of a person's hit: the list entry and what it alone said. */
export interface Listing {
  readonly entity_id: string;
  readonly caption: string;
  readonly score: number;
  readonly datasets: readonly string[];
  readonly programs: readonly string[];
  readonly legal_grounds: readonly string[];
  readonly confirmed: boolean;
}

export interface PersonHit {
  /** The canonical id when resolution merged entries, else the entry's own id. */
  readonly entity_id: string;
  /** Every list entry of the person (hit or not). */
  readonly referents: readonly string[];
  /** The entries that hit, best first. */
  readonly listings: readonly Listing[];
}

export type VisaPersonHit = VisaHit & PersonHit;
export type PaymentPersonHit = PaymentHit & PersonHit;

const union = <T>(xs: readonly (readonly T[])[]): T[] => [...new Set(xs.flat())];

function listing(h: VisaHit | PaymentHit): Listing {
  return {
    entity_id: h.entity_id,
    caption: h.caption,
    score: h.score,
    datasets: h.datasets,
    programs: h.programs,
    legal_grounds: h.legal_grounds,
    confirmed: h.confirmed,
  };
}

/** The fields every kind of hit shares, merged over a person's entries; the best gives the rest. */
function merged<H extends VisaHit | PaymentHit>(
  canonical: string,
  referents: readonly string[],
  hits: readonly H[],
) {
  const best = hits.reduce((a, b) => (b.score > a.score ? b : a));
  return {
    ...best,
    entity_id: canonical,
    referents: [...referents],
    listings: hits.map(listing),
    score: Math.max(...hits.map((h) => h.score)),
    match: hits.some((h) => h.match),
    confirmed: hits.some((h) => h.confirmed),
    datasets: union(hits.map((h) => h.datasets)),
    programs: union(hits.map((h) => h.programs)),
    legal_grounds: union(hits.map((h) => h.legal_grounds)),
  };
}

/** A visa screening with one hit per person; the decision stands as made on every entry. */
export function visaByPerson(
  r: VisaScreening,
  resolution: Resolution,
): VisaScreening & { hits: VisaPersonHit[] } {
  const hits = groupByCanonical(r.hits, resolution, (h) => h.entity_id).map(
    ({ canonical, referents, best, hits }): VisaPersonHit => {
      // What the officer is asked for: as for a confirmed hit under a travel ban, if any entry is.
      const lead = hits.find((h) => h.confirmed && h.travel_ban === "yes") ?? best;
      return {
        ...merged(canonical, referents, hits),
        travel_ban: strongest(hits.map((h) => h.travel_ban)),
        assessment: lead.assessment,
      };
    },
  );
  return { ...r, ...(r.decision === "refer" ? { reason: referReason(hits) } : {}), hits };
}

/** The stronger of two outcomes of one hit: block over reject over hold. */
const RANK: Record<Outcome, number> = { block: 3, reject: 2, hold: 1 };

/**
 * A payment screening with one hit per field and person (a place is its own person); the
 * decision and its rule stand as made on every entry.
 */
export function paymentByPerson(
  r: PaymentScreening,
  resolution: Resolution,
): PaymentScreening & { hits: PaymentPersonHit[] } {
  const byField = new Map<string, PaymentHit[]>();
  for (const h of r.hits) byField.set(h.field, [...(byField.get(h.field) ?? []), h]);
  const grouped: { order: number; hit: PaymentPersonHit }[] = [];
  for (const fieldHits of byField.values()) {
    for (const { canonical, referents, best, hits } of groupByCanonical(
      fieldHits,
      resolution,
      (h) => h.entity_id,
    )) {
      const outcome = hits.reduce<Outcome>(
        (o, h) => (RANK[h.outcome] > RANK[o] ? h.outcome : o),
        best.outcome,
      );
      grouped.push({
        order: r.hits.indexOf(best),
        hit: { ...merged(canonical, referents, hits), outcome },
      });
    }
  }
  return { ...r, hits: grouped.sort((a, b) => a.order - b.order).map((g) => g.hit) };
}

/**
 * What an alert raised from a hit on a person carries (src/cases/intake.ts): its list entries and
 * each entry's designations; nothing for a hit that is not on a person.
 */
export function personOf(h: {
  readonly caption: string;
  readonly referents?: readonly string[];
  readonly listings?: readonly Listing[];
}): { referents?: readonly string[]; designations?: Designation[] } {
  if (!h.referents || !h.listings) return {};
  const listed = new Map(h.listings.map((l) => [l.entity_id, l]));
  return {
    referents: h.referents,
    designations: h.referents.map((id) => {
      const l = listed.get(id);
      return {
        entityId: id,
        caption: l?.caption ?? h.caption,
        datasets: l?.datasets ?? [],
        programs: l?.programs ?? [],
        ...(l ? { score: l.score } : {}),
      };
    }),
  };
}
