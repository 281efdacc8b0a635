// Shared mapping helpers, so every list maps sanctions, addresses, identity documents and links
// the same way. Ids of derived entities hang off the main entity's id (`…-sanction`,
// `…-addr-1`), so they stay stable across list versions as long as the list's order does.

import { add, type Entity, makeEntity } from "../model/entity.js";
import { normaliseKey } from "../model/types.js";

/** A value safe to put in an id: lower case letters, digits and dashes. */
export function slug(text: string): string {
  return normaliseKey(text).replace(/ /g, "-").slice(0, 60);
}

/** The entity a list is about: marked as a sanctions target, with its source record. */
export function makeTarget(schema: string, id: string, dataset: string, source: unknown): Entity {
  const entity = makeEntity(schema, id, dataset);
  entity.target = true;
  entity.source = source;
  add(entity, "topics", "sanction");
  return entity;
}

export interface SanctionFacts {
  authority: string;
  /** Programme codes or names as the list gives them (`MAGNIT`, `GLOMAG`, `Global Human Rights`). */
  program?: readonly (string | undefined)[];
  programId?: readonly (string | undefined)[];
  /** The authority's country (FtM code): `us`, `gb`, `eu`, `au`… */
  country?: string;
  authorityId?: string;
  unscId?: string;
  listingDate?: string;
  startDate?: string;
  modifiedAt?: string;
  reason?: string;
  provisions?: readonly string[];
  sourceUrl?: string;
  summary?: string;
}

/** The Sanction entity for a listing: one per listed entity and authority. */
export function sanctionOf(target: Entity, facts: SanctionFacts, suffix = "sanction"): Entity {
  const s = makeEntity("Sanction", `${target.id}-${suffix}`, target.datasets[0] ?? "");
  add(s, "entity", target.id);
  add(s, "authority", facts.authority);
  add(s, "program", facts.program ?? []);
  add(s, "programId", facts.programId ?? []);
  if (facts.country) s.properties.country = [facts.country];
  add(s, "authorityId", facts.authorityId);
  add(s, "unscId", facts.unscId);
  add(s, "listingDate", facts.listingDate);
  add(s, "startDate", facts.startDate);
  add(s, "modifiedAt", facts.modifiedAt);
  add(s, "reason", facts.reason);
  add(s, "provisions", facts.provisions ?? []);
  add(s, "sourceUrl", facts.sourceUrl);
  add(s, "summary", facts.summary);
  return s;
}

export interface AddressFacts {
  full?: string;
  street?: string;
  city?: string;
  postalCode?: string;
  region?: string;
  country?: string;
  remarks?: string;
}

/**
 * An Address entity linked from the target (`addressEntity`), and its one-line form on the
 * target's `address` (what matching reads). Returns undefined when there is nothing to say.
 */
export function addressOf(target: Entity, facts: AddressFacts, n: number): Entity | undefined {
  const parts = [facts.street, facts.city, facts.postalCode, facts.region, facts.country];
  const full = facts.full ?? parts.filter((p) => p?.trim()).join(", ");
  if (!full.trim()) return undefined;
  const a = makeEntity("Address", `${target.id}-addr-${n}`, target.datasets[0] ?? "");
  add(a, "full", full);
  add(a, "street", facts.street);
  add(a, "city", facts.city);
  add(a, "postalCode", facts.postalCode);
  add(a, "region", facts.region);
  add(a, "remarks", facts.remarks);
  if (facts.country) add(a, "country", facts.country);
  add(target, "address", full);
  add(target, "addressEntity", a.id);
  if (facts.country && target.schema !== "Address") add(target, "country", facts.country);
  return a;
}

export interface DocumentFacts {
  /** `Passport`, `National ID No.`, `Cedula No.`… as the list names it. */
  type: string;
  number: string;
  country?: string;
  authority?: string;
  startDate?: string;
  endDate?: string;
  summary?: string;
  /** Whether the number also goes on the target for matching (not for, say, a wallet address). */
  identifiesHolder?: boolean;
}

/**
 * An identity document: a Passport or Identification entity held by the target, with the
 * number also on the target (`passportNumber` or `idNumber`) for matching.
 */
export function documentOf(target: Entity, facts: DocumentFacts): Entity {
  const passport = /passport/i.test(facts.type);
  const schema = passport ? "Passport" : "Identification";
  const doc = makeEntity(
    schema,
    `${target.id}-doc-${slug(facts.type)}-${slug(facts.number)}`,
    target.datasets[0] ?? "",
  );
  add(doc, "holder", target.id);
  add(doc, "type", facts.type);
  add(doc, "number", facts.number);
  if (facts.country) add(doc, "country", facts.country);
  add(doc, "authority", facts.authority);
  add(doc, "startDate", facts.startDate);
  add(doc, "endDate", facts.endDate);
  add(doc, "summary", facts.summary);
  const prop = passport && target.schema === "Person" ? "passportNumber" : "idNumber";
  if (facts.identifiesHolder !== false && target.schema !== "Vessel" && target.schema !== "Airplane") {
    add(target, prop, facts.number);
  }
  return doc;
}

/**
 * A link between two listed entities ("Linked To:"): Associate between two persons, otherwise
 * UnknownLink with the relationship as its role.
 */
export function linkOf(
  from: Entity,
  toId: string,
  toSchema: string | undefined,
  relationship: string,
): Entity {
  const dataset = from.datasets[0] ?? "";
  const id = `${from.id}-link-${slug(toId)}`;
  if (from.schema === "Person" && toSchema === "Person") {
    const l = makeEntity("Associate", id, dataset);
    add(l, "person", from.id);
    add(l, "associate", toId);
    add(l, "relationship", relationship);
    return l;
  }
  const l = makeEntity("UnknownLink", id, dataset);
  add(l, "subject", from.id);
  add(l, "object", toId);
  add(l, "role", relationship);
  return l;
}
