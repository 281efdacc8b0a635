// Shared mapping helpers, so every list maps sanctions, addresses, identity documents and links
// the same way, and reports what it cannot use the same way. Ids of derived entities hang off the
// main entity's id (`…-sanction`, `…-addr-1`), so they stay stable across list versions as long
// as the list's order does.

import type { Issue } from "../errors.js";
import { add, type Entity, makeEntity } from "../model/entity.js";
import { normaliseKey } from "../model/types.js";
import type { InputFile, SourceContext } from "./types.js";

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

export interface LinesAddressFacts {
  /** The address lines, empty ones left out. */
  lines: readonly string[];
  postalCode?: string;
  /** The country as the list writes it, and its code when that is a country we know. */
  countryText?: string;
  country?: string;
}

/**
 * An address the list gives as lines, a postal code and a country (as the UK lists do), its
 * one-line form all of them joined. A country alone is no address, only where the subject is: it
 * goes on the target's `country` and no Address is made.
 */
export function addressOfLines(target: Entity, facts: LinesAddressFacts, n: number): Entity | undefined {
  const { lines, postalCode, countryText, country } = facts;
  if (lines.length === 0 && !postalCode) {
    if (country) add(target, "country", country);
    return undefined;
  }
  const full = [...lines, postalCode, countryText].filter((v) => v).join(", ");
  return addressOf(target, { full, postalCode, country }, n);
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

/** What a list's mapper is told: the dataset ids are made in, the file it reads, where issues go. */
export interface MapContext {
  readonly dataset: string;
  readonly file: string;
  issue(issue: Issue): void;
}

/**
 * Adds values to one record's entities and reports, with the record's place in the file, what
 * the list says that we cannot use. Readers extend it with the checks their list needs.
 */
export class Recorder {
  constructor(
    private readonly ctx: MapContext,
    readonly ref: string,
  ) {}

  issue(code: string, message: string, at: { readonly line: number }, field: string): void {
    this.ctx.issue({ code, message, file: this.ctx.file, line: at.line, record: this.ref, field });
  }

  /** `add`, reporting each value its property's type refuses (it stays in the source record). */
  put(
    entity: Entity,
    prop: string,
    values: string | (string | undefined)[] | undefined,
    at: { readonly line: number },
    field: string,
  ) {
    for (const bad of add(entity, prop, values)) {
      this.issue("value_rejected", `${JSON.stringify(bad)} is not a valid ${prop}`, at, field);
    }
  }
}

/**
 * A list of one record per listed subject, read file after file: each record mapped to its
 * entities, the listed one first. The store merges entities with one id, so a record whose id an
 * earlier one had is merged into it; a list should not repeat an id, so that is reported.
 */
export async function* mapRecords<R>(
  files: readonly InputFile[],
  ctx: SourceContext,
  records: (file: InputFile, onProgress?: (bytes: number) => void) => AsyncIterable<R>,
  map: (record: R, m: MapContext) => readonly [Entity, ...Entity[]],
  lineOf: (record: R) => number,
): AsyncGenerator<Entity> {
  const seen = new Set<string>();
  for (const file of files) {
    const m = { dataset: ctx.dataset, file: file.path, issue: ctx.issue.bind(ctx) };
    for await (const record of records(file, ctx.progress?.bind(ctx))) {
      const entities = map(record, m);
      const id = entities[0].id;
      if (seen.has(id)) {
        ctx.issue({
          code: "duplicate_id",
          message: `${id} is listed twice; the two records are merged`,
          file: file.path,
          line: lineOf(record),
          record: id,
        });
      }
      seen.add(id);
      yield* entities;
    }
  }
}
